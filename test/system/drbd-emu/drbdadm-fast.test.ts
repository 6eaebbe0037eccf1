// drbdadm's in-process fast path against the real drbdadm-84 path (HAKIT_DRBDADM_FAST=0), command by command in
// several states of two emulated nodes: stdout, stderr, exit code and the resulting DRBD state must be the same,
// and the commands the agents run per monitor/promote/demote/notify must actually take the fast path.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTwoNodes, until, type Result, type TwoNodes } from './two-nodes';

let lab: TwoNodes;
let trace: string;
const A = 0 as const;
const B = 1 as const;
type N = 0 | 1;

const run = (n: N, args: string[], fast: boolean): Result =>
  lab.sh(lab.nodes[n], ['env', `HAKIT_DRBDADM_FAST=${fast ? 1 : 0}`, `HAKIT_DRBD_TRACE=${trace}`, 'drbdadm', ...args]);
const tracedFast = (args: string[]): boolean => {
  const lines = readFileSync(trace, 'utf8').split('\n').filter((l) => l.startsWith('drbdadm '));
  return lines.at(-1) === `drbdadm fast ${args.join(' ')}`;
};
const state = (n: N): string => ['role', 'cstate', 'dstate'].map((c) => run(n, [c, 'r0'], false).stdout.trim()).join(' ');
const same = (a: Result, b: Result, what: string): void => {
  expect({ rc: a.rc, stdout: a.stdout, stderr: a.stderr }, what).toEqual({ rc: b.rc, stdout: b.stdout, stderr: b.stderr });
};

// A query (or a command that changes nothing in this state): both paths, same answer. `fast`: must take the fast path.
const query = (n: N, args: string[], fast: boolean): Result => {
  writeFileSync(trace, '');
  const f = run(n, args, true);
  expect(tracedFast(args), `${args.join(' ')}: fast path taken`).toBe(fast);
  const r = run(n, args, false);
  same(f, r, `drbdadm ${args.join(' ')} on ${lab.nodes[n].name} (${state(n)})`);
  return f;
};
// A state change: fast path, state after it; `undo` back; the real path; same output and the same state after.
const change = async (n: N, args: string[], undo: () => Promise<void>, settle: () => Promise<void> = async () => {}, fast = true): Promise<void> => {
  writeFileSync(trace, '');
  const f = run(n, args, true);
  expect(tracedFast(args), `${args.join(' ')}: fast path taken`).toBe(fast);
  await settle();
  const after = [state(A), state(B)];
  await undo();
  const r = run(n, args, false);
  await settle();
  same(f, r, `drbdadm ${args.join(' ')} on ${lab.nodes[n].name}`);
  expect([state(A), state(B)]).toEqual(after);
};
const cstate = (n: N) => run(n, ['cstate', 'r0'], true).stdout.trim();
const connected = () => until('connected', () => cstate(A) === 'Connected' && cstate(B) === 'Connected');
const READS = [['role', 'r0'], ['cstate', 'r0'], ['dstate', 'r0'], ['status', 'r0'], ['sh-dev', 'r0'], ['sh-minor', 'r0']];

describe('drbdadm fast path = real drbdadm-84 path', () => {
  beforeAll(async () => {
    lab = await createTwoNodes();
    trace = join(lab.share, 'trace');
    for (const n of [A, B]) expect(lab.sh(lab.nodes[n], ['drbdadm', 'create-md', '--force', 'r0']).rc).toBe(0);
  });
  afterAll(() => lab?.destroy());

  it('nothing running: queries, primary/secondary/down/disconnect/wait-connect', () => {
    for (const q of [['sh-dev', 'r0'], ['sh-minor', 'r0'], ['down', 'r0']]) query(A, q, true);
    // errors from the kernel ("minor not allocated"...) are drbdadm-84's to print: same text either way
    for (const q of [['role', 'r0'], ['cstate', 'r0'], ['dstate', 'r0'], ['status', 'r0'], ['primary', 'r0'], ['secondary', 'r0'], ['disconnect', 'r0'], ['wait-connect', 'r0']]) query(A, q, false);
    // not for the fast path: unknown resource, other options, dry-run
    for (const q of [['role', 'nosuch'], ['-d', 'primary', 'r0'], ['sh-dev', 'all']]) query(A, q, false);
  });

  it('one node up (WFConnection, Inconsistent): reads, adjust no-op, refused promotion', async () => {
    expect(run(A, ['up', 'r0'], false).rc).toBe(0);
    for (const q of READS) query(A, q, true);
    for (const q of [['adjust', 'r0'], ['-v', 'adjust', 'r0'], ['--peer', lab.nodes[B].name, '-v', 'adjust', 'r0']]) query(A, q, true);
    query(A, ['primary', 'r0'], false); // refused: Need access to UpToDate data (17), printed by drbdadm-84
    query(A, ['secondary', 'r0'], true);
  });

  it('connected, then Primary/Secondary with UpToDate data', async () => {
    expect(run(B, ['up', 'r0'], false).rc).toBe(0);
    await connected();
    for (const n of [A, B]) for (const q of READS) query(n, q, true);
    query(A, ['wait-connect', 'r0'], true);
    expect(run(A, ['primary', '--force', 'r0'], true).rc).toBe(0);
    await until('synced', () => run(B, ['dstate', 'r0'], true).stdout === 'UpToDate/UpToDate\n');
    for (const n of [A, B]) for (const q of [...READS, ['adjust', 'r0'], ['-v', 'adjust', 'r0'], ['check-resize', 'r0']]) query(n, q, true);
    query(A, ['primary', 'r0'], true); // already Primary: nothing to do
    query(B, ['primary', 'r0'], false); // refused: Multiple primaries not allowed by config (11)
    query(B, ['secondary', 'r0'], true);
  });

  it('device in use refuses secondary the same way', () => {
    expect(lab.sh(lab.nodes[A], ['sh', '-c', 'mkfs.ext4 -q /dev/drbd0 && mount /dev/drbd0 /mnt']).rc).toBe(0);
    try { query(A, ['secondary', 'r0'], false); } finally { expect(lab.sh(lab.nodes[A], ['umount', '/mnt']).rc).toBe(0); }
  });

  it('state changes: secondary, primary, disconnect, down give the same result on both paths', async () => {
    await change(A, ['secondary', 'r0'], async () => { expect(run(A, ['primary', 'r0'], false).rc).toBe(0); });
    await change(A, ['primary', 'r0'], async () => { expect(run(A, ['secondary', 'r0'], false).rc).toBe(0); });
    await change(A, ['disconnect', 'r0'], async () => { expect(run(A, ['adjust', 'r0'], false).rc).toBe(0); await connected(); },
      () => until('StandAlone', () => cstate(A) === 'StandAlone' && cstate(B) === 'WFConnection'));
    // StandAlone: adjust has to connect; drbdadm-84 does it
    await change(A, ['-v', 'adjust', 'r0'], async () => { expect(run(A, ['disconnect', 'r0'], false).rc).toBe(0); }, connected, false);
    await change(B, ['down', 'r0'], async () => { expect(run(B, ['up', 'r0'], false).rc).toBe(0); await connected(); },
      () => until('peer gone', () => cstate(A) === 'WFConnection'));
  });
});
