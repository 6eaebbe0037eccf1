// Runs the real-kernel suite's normalised scenarios (test/vm/scenarios/*.json) unchanged against two emulated
// nodes set up like the VM guests (names node-a/node-b, their addresses, their drbd.conf, the disk as /dev/vda,
// the guest helpers hk-ocf/hk-score/hk-record and the Pacemaker stand-in on PATH, /proc/drbd via hakit-drbd-proc).
// Step semantics are the VM runner's (test/vm/scenario.ts); where the real kernel's raw recordings exist in
// test/fixtures/drbd/real/<scenario>/, the emulator's normalised outputs must equal them.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, DIST } from '../../helpers/dist';
import { normaliseOutput } from '../../vm/normalise';
import { drbdConf, IPS } from '../../vm/pair';
import type { Scenario, Step } from '../../vm/scenario';
import { createTwoNodes, normalise, type Node, type Result, type TwoNodes } from './two-nodes';

export const REAL_DIR = join(ROOT, 'test', 'fixtures', 'drbd', 'real');
const GUEST = join(ROOT, 'test', 'vm', 'guest');

// Two emulated nodes dressed as the VM pair.
export const createVmLikePair = async (): Promise<TwoNodes> => {
  const lab = await createTwoNodes({ names: ['node-a', 'node-b'], ips: [IPS['node-a'], IPS['node-b']], sizeMiB: 40, conf: () => drbdConf(), diskAlias: '/dev/vda',
    init: (dir) => ['mount -t tmpfs hk-emu-run /run', 'mkdir -p /run/lock /run/drbd /run/hk-pcmk', 'mount -t tmpfs hk-emu-opt /opt',
      `ln -s ${DIST} /opt/hakit`, `mount --bind ${join(dir, 'r0.conf')} /etc/drbd.conf`] });
  const bin = join(lab.dir, 'guest-bin');
  mkdirSync(bin, { recursive: true });
  for (const h of ['hk-ocf', 'hk-score', 'hk-record']) { copyFileSync(join(GUEST, h), join(bin, h)); chmodSync(join(bin, h), 0o755); }
  for (const t of ['crm_attribute', 'crm_master', 'crm_resource']) { copyFileSync(join(GUEST, 'pcmk-standin'), join(bin, t)); chmodSync(join(bin, t), 0o755); }
  return lab;
};

// One scenario command inside a node: with the guest's helpers first on PATH, /opt/hakit = the build, a private /run
// for the Pacemaker stand-in, /proc/drbd shown by hakit-drbd-proc, and /share mapped to the pair's shared folder.
export const guestRun = (lab: TwoNodes, n: Node, cmd: string): Result => {
  const script = `export PATH=${join(lab.dir, 'guest-bin')}:$PATH HAKIT_DRBD_PROC_FILE=${join(n.run, 'proc-drbd')}\ncd /root 2>/dev/null || cd /\n${cmd.replaceAll('/share', lab.share)}`;
  return lab.sh(n, ['hakit-drbd-proc', '--exec', 'sh', '-c', script]);
};

const matches = (st: { rc?: number; out?: string; err?: string }, r: Result): boolean =>
  r.rc === (st.rc ?? 0) && (st.out === undefined || normaliseOutput(normalise(r.stdout)) === st.out) &&
  (st.err === undefined || normaliseOutput(normalise(r.stderr)) === st.err);

type RunStep = Extract<Step, { run: string }>;
const node = (lab: TwoNodes, name: string): Node => lab.nodes.find((n) => n.name === name)!;

const runStep = async (lab: TwoNodes, st: RunStep): Promise<Result> => {
  const t0 = Date.now();
  let r = guestRun(lab, node(lab, st.node), st.run);
  while (!matches(st, r) && st.waitMs !== undefined && Date.now() - t0 < st.waitMs) {
    await new Promise((res) => setTimeout(res, 250));
    r = guestRun(lab, node(lab, st.node), st.run);
  }
  return r;
};

export interface Mismatch { where: string; want: string; got: string }

// Compares this node's hk-record outputs with the real kernel's for the same record step, normalised.
const compareRecord = (sc: string, rec: string, lab: TwoNodes, out: Mismatch[]): void => {
  const real = join(REAL_DIR, sc);
  for (const n of lab.nodes) {
    if (!n.pid || !existsSync(join(real, `${rec}.${n.name}.rc`))) continue;
    const mine = join(lab.share, 'rec', sc);
    // a resync in progress is a moment, not a state: the real VM and the emulator catch it at different points
    // (hk-record runs its commands one after the other: any of them may have caught the resync)
    const files = readdirSync(real).filter((x) => x.startsWith(`${rec}.${n.name}.`) && x.endsWith('.out'));
    if (!files.length || files.some((f) => /Sync(Source|Target)|PausedSync|WFBitMap|StartingSync/.test(readFileSync(join(real, f), 'utf8')))) continue;
    // line wrapping of `status --verbose --statistics` depends on the counters' digits: compare it unwrapped
    const flat = (f: string, t: string): string => (f.includes('status-verbose') ? t.replace(/\s+/g, ' ') : t);
    for (const f of readdirSync(real).filter((x) => x.startsWith(`${rec}.${n.name}.`))) {
      const want = flat(f, normaliseOutput(readFileSync(join(real, f), 'utf8')));
      const got = existsSync(join(mine, f)) ? flat(f, normaliseOutput(normalise(readFileSync(join(mine, f), 'utf8')))) : '<missing>';
      if (want !== got) out.push({ where: `${sc} record ${f}`, want, got });
    }
  }
};

// Runs a loaded scenario; throws on the first step whose result differs from the scenario's expectation.
// Returns the differences from the real kernel's recordings (record steps and steps with an id).
export const runScenarioOnEmulator = async (lab: TwoNodes, sc: Scenario): Promise<Mismatch[]> => {
  const diffs: Mismatch[] = [];
  for (const [i, st] of sc.steps.entries()) {
    if ('include' in st) continue;
    if ('record' in st) {
      for (const n of lab.nodes) if (n.pid) guestRun(lab, n, `hk-record /share/rec/${sc.name} ${st.record}`);
      compareRecord(sc.name, st.record, lab, diffs);
      continue;
    }
    if ('host' in st) {
      const n = node(lab, st.node);
      if (st.host === 'crash' || st.host === 'shutdown') lab.crash(n);
      else if (st.host === 'boot') lab.boot(n);
      else if (st.host === 'link-down' || st.host === 'link-up') lab.link(n, st.host === 'link-up');
      else if (st.host === 'replace-disk') lab.replaceDisk(n);
      continue;
    }
    const runs = 'parallel' in st ? st.parallel as RunStep[] : [st];
    const results = await Promise.all(runs.map(async (rs) => ({ rs, r: await runStep(lab, rs) })));
    for (const { rs, r } of results) {
      if (rs.id && existsSync(join(REAL_DIR, sc.name, `${rs.id}.rc`))) {
        const base = join(REAL_DIR, sc.name, rs.id);
        const want = `${readFileSync(`${base}.rc`, 'utf8').trim()}|${normaliseOutput(readFileSync(`${base}.stdout`, 'utf8'))}|${normaliseOutput(readFileSync(`${base}.stderr`, 'utf8'))}`;
        const got = `${r.rc}|${normaliseOutput(normalise(r.stdout))}|${normaliseOutput(normalise(r.stderr))}`;
        if (want !== got) diffs.push({ where: `${sc.name} step ${rs.id}`, want, got });
      }
      if (matches(rs, r)) continue;
      const want = `rc ${rs.rc ?? 0}${rs.out !== undefined ? `, out ${JSON.stringify(rs.out)}` : ''}${rs.err !== undefined ? `, err ${JSON.stringify(rs.err)}` : ''}`;
      const got = `rc ${r.rc}, out ${JSON.stringify(normaliseOutput(normalise(r.stdout)))}, err ${JSON.stringify(normaliseOutput(normalise(r.stderr)))}`;
      throw new Error(`${sc.name} step ${i} (${rs.node}$ ${rs.run}${rs.note ? ` — ${rs.note}` : ''}): expected ${want}; got ${got}`);
    }
  }
  if (process.env.HAKIT_EMU_DIFFS) writeFileSync(join(process.env.HAKIT_EMU_DIFFS, `${sc.name}.diffs.json`), JSON.stringify(diffs, null, 1));
  return diffs;
};
