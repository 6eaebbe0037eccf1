// The emulated DRBD on two nodes (network namespaces, real TCP, real loop devices, real ext4): the conformance
// scenarios of issue 6, step by step with DRBD 8.4 outputs and exit codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStep, type Step } from './scenario';
import { createTwoNodes, until, type TwoNodes } from './two-nodes';

let lab: TwoNodes;
const A = 0 as const;
const B = 1 as const;
const S = 'emu-two-nodes';
const step = (id: string, node: 0 | 1, cmd: string[], rc = 0, out: Partial<Pick<Step, 'stdout' | 'stderr'>> = {}) => runStep(lab, S, { id, node, cmd, rc, ...out });
const adm = (...a: string[]) => ['drbdadm', ...a];
const sh = (node: 0 | 1, script: string) => lab.sh(lab.nodes[node], ['sh', '-c', script]);
const dstate = (node: 0 | 1) => lab.sh(lab.nodes[node], adm('dstate', 'r0')).stdout.trim();
const cstate = (node: 0 | 1) => lab.sh(lab.nodes[node], adm('cstate', 'r0')).stdout.trim();
const dev = (_node: 0 | 1) => '/dev/drbd0'; // each node has its own /dev
// The installed upstream ocf:linbit:drbd (as it is; /proc/drbd provided by hakit-drbd-proc --exec). Without a
// cluster its crm_master calls fail (logged); the actions' exit codes are what Pacemaker would act on.
const upstream = (n: 0 | 1, action: string) => lab.sh(lab.nodes[n], ['hakit-drbd-proc', '--exec', 'env', 'OCF_ROOT=/usr/lib/ocf',
  'OCF_RESOURCE_INSTANCE=drbd_r0', 'OCF_RESKEY_drbd_resource=r0', `OCF_RESKEY_drbdconf=${lab.conf}`, 'OCF_RESKEY_CRM_meta_notify=true',
  'OCF_RESKEY_CRM_meta_clone_max=2', 'OCF_RESKEY_CRM_meta_master_max=1', 'OCF_RESKEY_CRM_meta_clone_node_max=1',
  'OCF_RESKEY_CRM_meta_master_node_max=1', `OCF_RESKEY_CRM_meta_interval=${action === 'monitor' ? 10000 : 0}`,
  '/usr/lib/ocf/resource.d/linbit/drbd', action]);

describe('emulated DRBD, two nodes', () => {
  beforeAll(async () => { lab = await createTwoNodes(); });
  afterAll(() => lab?.destroy());

  it('fresh create-md / up / connect', async () => {
    for (const n of [A, B]) step(`01-create-md-${n}`, n, adm('create-md', '--force', 'r0'), 0, { stdout: /New drbd meta data block successfully created/ });
    for (const n of [A, B]) step(`02-up-${n}`, n, adm('up', 'r0'), 0, { stdout: '', stderr: '' });
    step('03-wait-connect', A, adm('wait-connect', 'r0'));
    await until('connected', () => cstate(B) === 'Connected');
    step('04-role', A, adm('role', 'r0'), 0, { stdout: 'Secondary/Secondary\n' });
    step('05-dstate', B, adm('dstate', 'r0'), 0, { stdout: 'Inconsistent/Inconsistent\n' });
    step('06-status', A, adm('status', 'r0'), 0, { stdout: 'r0 role:Secondary\n  disk:Inconsistent\n  peer role:Secondary\n    replication:Established peer-disk:Inconsistent\n\n' });
    step('07-proc', A, ['hakit-drbd-proc'], 0, { stdout: / 0: cs:Connected ro:Secondary\/Secondary ds:Inconsistent\/Inconsistent C r-----\n    ns:0 nr:0 dw:0 dr:0 al:0 bm:\d+ lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:24\d{3}\n/ });
  });

  it('no promotion without UpToDate data; forced initial sync with visible progress', async () => {
    step('10-primary-refused', A, adm('primary', 'r0'), 17, { stderr: "0: State change failed: (-2) Need access to UpToDate data\nCommand 'drbdsetup-84 primary 0' terminated with exit code 17\n" });
    step('11-primary-force', A, adm('primary', '--force', 'r0'));
    const seen = sh(A, 'cat "$HAKIT_DRBD_RUN/proc-drbd"').stdout;
    expect(seen).toMatch(/cs:SyncSource ro:Primary\/Secondary ds:UpToDate\/Inconsistent C r-----\n.*\n\t\[[=>.]{20,21}\] sync'ed:/);
    expect(lab.sh(lab.nodes[B], adm('cstate', 'r0')).stdout).toBe('SyncTarget\n');
    await until('initial sync done', () => dstate(B) === 'UpToDate/UpToDate');
    step('12-role-after-sync', A, adm('role', 'r0'), 0, { stdout: 'Primary/Secondary\n' });
    step('13-events2', A, ['drbdsetup', 'events2', '--now', 'r0'], 0, { stdout: /^exists resource name:r0 role:Primary suspended:no\n(.*\n)*exists peer-device .*replication:Established peer-disk:UpToDate .*\nexists -\n$/ });
  });

  it('state queries answer from the state the kernel published, counters from the kernel itself; no call loads the socket module', () => {
    const modules = (node: 0 | 1, ...cmd: string[]) => {
      const r = lab.sh(lab.nodes[node], ['env', 'HAKIT_DEBUG_MODULES=1', ...cmd]);
      expect(r.rc, r.stderr).toBe(0);
      return { out: r.stdout, net: /NativeModule net\b/.test(r.stderr) };
    };
    expect(modules(A, 'drbdsetup', 'role', '0')).toEqual({ out: 'Primary/Secondary\n', net: false });
    expect(modules(B, 'drbdadm', 'dstate', 'r0')).toEqual({ out: 'UpToDate/UpToDate\n', net: false });
    expect(modules(B, 'drbdsetup', 'sh-status', 'r0')).toMatchObject({ out: expect.stringContaining('_role=Secondary\n'), net: false });
    const plain = modules(A, 'drbdsetup', 'events2', '--now', 'r0');
    const stats = modules(A, 'drbdsetup', 'events2', '--now', '--statistics', 'r0');
    expect(plain.net).toBe(false);
    expect(stats.net).toBe(false); // live counters: asked from the kernel, over the pipe_wrap binding (unix-request.ts)
    expect(stats.out).toMatch(/ sent:\d+ /);
    expect(stats.out.replace(/ (write-ordering|congested|size|read|written|al-writes|bm-writes|upper-pending|lower-pending|al-suspended|received|sent|out-of-sync|pending|unacked):\S+/g, '')).toBe(plain.out);
  });

  it('the upstream ocf:linbit:drbd monitor reads the emulated state (through hakit-drbd-proc --exec for /proc/drbd)', () => {
    const mon = (n: 0 | 1) => upstream(n, 'monitor');
    const a = mon(A);
    expect(a.rc, a.stderr).toBe(8);
    const b = mon(B);
    expect(b.rc, b.stderr).toBe(0);
  });

  it('one Primary while connected; device in use blocks secondary; promote/demote both ways keeps the data', () => {
    step('20-second-primary', B, adm('primary', 'r0'), 11, { stderr: "0: State change failed: (-1) Multiple primaries not allowed by config\nCommand 'drbdsetup-84 primary 0' terminated with exit code 11\n" });
    expect(sh(A, `mkfs.ext4 -q ${dev(A)} && mount ${dev(A)} /mnt && echo one > /mnt/f && sync`).rc).toBe(0);
    step('21-secondary-in-use', A, adm('secondary', 'r0'), 11, { stderr: "0: State change failed: (-12) Device is held open by someone\nCommand 'drbdsetup-84 secondary 0' terminated with exit code 11\n" });
    expect(sh(B, `mount -o ro ${dev(B)} /mnt`).rc).not.toBe(0); // the Secondary's device cannot be mounted
    expect(sh(A, 'umount /mnt').rc).toBe(0);
    step('22-secondary', A, adm('secondary', 'r0'));
    step('23-primary-b', B, adm('primary', 'r0'));
    expect(sh(B, `mount ${dev(B)} /mnt && cat /mnt/f`).stdout).toBe('one\n');
    step('24-role-b', B, adm('role', 'r0'), 0, { stdout: 'Primary/Secondary\n' });
  });

  it('disconnect while Primary and write; reconnect resyncs towards the stale node', async () => {
    step('30-disconnect', A, adm('disconnect', 'r0'));
    step('31-cstate-standalone', A, adm('cstate', 'r0'), 0, { stdout: 'StandAlone\n' });
    await until('B waits for connection', () => cstate(B) === 'WFConnection');
    expect(sh(B, 'echo two > /mnt/g && sync').rc).toBe(0);
    await until('B counts out-of-sync blocks', () => /oos:[1-9]/.test(sh(B, 'cat "$HAKIT_DRBD_RUN/proc-drbd"').stdout));
    step('32-dstate-b', B, adm('dstate', 'r0'), 0, { stdout: 'UpToDate/DUnknown\n' });
    step('33-connect', A, adm('connect', 'r0'));
    step('34-wait-connect', A, adm('wait-connect', 'r0'));
    await until('resynced', () => dstate(A) === 'UpToDate/UpToDate' && cstate(A) === 'Connected');
    expect(sh(B, 'umount /mnt').rc).toBe(0);
    step('35-secondary-b', B, adm('secondary', 'r0'));
    step('36-primary-a', A, adm('primary', 'r0'));
    expect(sh(A, `mount ${dev(A)} /mnt && cat /mnt/f /mnt/g`).stdout).toBe('one\ntwo\n');
  });

  it('both Primary while disconnected: split brain on reconnect, StandAlone, divergent data; recovery with --discard-my-data', async () => {
    step('40-disconnect-b', B, adm('disconnect', 'r0'));
    step('41-primary-b-alone', B, adm('primary', 'r0'));
    expect(sh(A, 'echo from-a > /mnt/h && sync').rc).toBe(0);
    expect(sh(B, `mount ${dev(B)} /mnt && echo from-b > /mnt/h && sync`).rc).toBe(0);
    await until('both sides changed', () => /oos:[1-9]/.test(sh(B, 'cat "$HAKIT_DRBD_RUN/proc-drbd"').stdout) && /oos:[1-9]/.test(sh(A, 'cat "$HAKIT_DRBD_RUN/proc-drbd"').stdout));
    step('42-connect-b', B, adm('connect', 'r0'));
    await until('split brain detected: both StandAlone', () => cstate(A) === 'StandAlone' && cstate(B) === 'StandAlone');
    expect(sh(A, 'cat /mnt/h').stdout).toBe('from-a\n');
    expect(sh(B, 'cat /mnt/h').stdout).toBe('from-b\n');
    expect(sh(B, 'umount /mnt').rc).toBe(0);
    step('43-secondary-victim', B, adm('secondary', 'r0'));
    step('44-connect-discard', B, adm('connect', '--discard-my-data', 'r0'));
    step('45-connect-survivor', A, adm('connect', 'r0'));
    await until('victim resynced', () => dstate(B) === 'UpToDate/UpToDate' && cstate(B) === 'Connected');
    expect(sh(A, 'umount /mnt').rc).toBe(0);
    step('46-secondary-a', A, adm('secondary', 'r0'));
    step('47-primary-b', B, adm('primary', 'r0'));
    expect(sh(B, `mount ${dev(B)} /mnt && cat /mnt/h`).stdout).toBe('from-a\n');
    expect(sh(B, 'umount /mnt').rc).toBe(0);
    step('48-secondary-b', B, adm('secondary', 'r0'));
  });

  it('outdate (also while connected, as the real kernel allows), an Outdated disk cannot be promoted, reconnect makes it UpToDate', async () => {
    // the real 8.4.11 kernel accepts it while Connected as Secondary (recorded: exit 0, no output)
    step('50-outdate-connected', A, adm('outdate', 'r0'), 0, { stdout: '', stderr: '' });
    step('51-disconnect', A, adm('disconnect', 'r0'));
    step('52-outdate', A, adm('outdate', 'r0'));
    step('53-dstate-outdated', A, adm('dstate', 'r0'), 0, { stdout: 'Outdated/DUnknown\n' });
    step('54-primary-outdated', A, adm('primary', 'r0'), 17, { stderr: /0: State change failed: \(-2\) Need access to UpToDate data\n/ });
    step('55-connect', A, adm('connect', 'r0'));
    await until('outdated disk back to UpToDate', () => dstate(A) === 'UpToDate/UpToDate');
  });

  it('the upstream agent promotes and demotes through the emulator', () => {
    const r = (n: 0 | 1, action: string, rc: number) => { const x = upstream(n, action); expect(x.rc, `${action}\n${x.stderr}`).toBe(rc); };
    r(B, 'promote', 0);
    r(B, 'monitor', 8);
    r(A, 'monitor', 0);
    r(B, 'demote', 0);
    r(B, 'monitor', 0);
    r(A, 'promote', 0);
  });

  it('a cut replication link disconnects both sides; restoring it reconnects and resyncs what the Primary wrote', async () => {
    step('56-primary-a', A, adm('primary', 'r0'));
    lab.link(lab.nodes[B], false);
    await until('both lost the peer', () => cstate(A) === 'WFConnection' && cstate(B) === 'WFConnection', 15_000);
    expect(sh(A, `mount ${dev(A)} /mnt && echo during-cut > /mnt/d && sync`).rc).toBe(0);
    lab.link(lab.nodes[B], true);
    await until('reconnected and resynced', () => dstate(B) === 'UpToDate/UpToDate' && cstate(B) === 'Connected', 20_000);
    expect(sh(A, 'umount /mnt').rc).toBe(0);
    step('57-secondary-a', A, adm('secondary', 'r0'));
  });

  it('crash of the Primary: the peer sees the disconnect, is promoted, and the data written before the crash is there', async () => {
    step('60-primary-a', A, adm('primary', 'r0'));
    expect(sh(A, `mount ${dev(A)} /mnt && echo before-crash > /mnt/c && sync`).rc).toBe(0);
    await new Promise((r) => setTimeout(r, 500)); // replication window (see docs/drbd-emulator.md)
    lab.crash(lab.nodes[A]);
    await until('B lost its peer', () => cstate(B) === 'WFConnection', 10_000);
    step('61-dstate-b', B, adm('dstate', 'r0'), 0, { stdout: 'UpToDate/DUnknown\n' });
    step('62-primary-b', B, adm('primary', 'r0'));
    expect(sh(B, `mount ${dev(B)} /mnt && cat /mnt/c && umount /mnt`).stdout).toBe('before-crash\n');
    step('63-secondary-b', B, adm('secondary', 'r0'));
  });

  it('down; queries on a down resource fail like the real tools', () => {
    step('70-down', B, adm('down', 'r0'));
    step('71-role-down', B, adm('role', 'r0'), 10, { stderr: /^0: Failure: \(127\) Device minor not allocated\nadditional info from kernel:\nunknown minor\n/ });
    step('72-dstate-down', B, adm('dstate', 'r0'), 0, { stdout: 'Consistent\n' }); // from the meta data (drbdmeta)
    step('73-down-again', B, adm('down', 'r0'));
  });
});
