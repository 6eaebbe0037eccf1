import { afterEach, describe, expect, it } from 'vitest';
import { events2, makeStub, type Stub } from './stub';

let stub: Stub | undefined;
const use = (s: Stub) => (stub = s);
afterEach(() => {
  stub?.cleanup();
  stub = undefined;
});
const N = 'OCF_RESKEY_CRM_meta_notify_';
const notifyEnv = (type: string, op: string, lists: Record<string, string> = {}) => ({
  [`${N}type`]: type,
  [`${N}operation`]: op,
  ...Object.fromEntries(Object.entries(lists).map(([k, v]) => [`${N}${k}`, v])),
});

describe('stop', () => {
  it('Secondary → drbdadm down → 0, score removed', async () => {
    const s = use(makeStub({
      'drbdsetup.events2.out': events2('v9-secondary-uptodate-connected'), score: '10000\n',
      'drbdadm.down.after/drbdsetup.events2.out': events2('empty'),
    }));
    const r = await s.run('stop');
    expect(r.code).toBe(0);
    const c = `drbdadm -c ${s.dir}/drbd.conf`;
    expect(r.calls).toEqual([
      'drbdsetup events2 --now r0', `${c} down r0`, 'drbdsetup events2 --now r0', `${c} down r0`,
      'crm_attribute --promotion -l reboot -D',
    ]);
    expect(s.read('score')).toBeUndefined();
  });

  it('Primary → secondary → down → 0', async () => {
    const s = use(makeStub({
      'drbdsetup.events2.out': events2('v9-primary-uptodate-connected'),
      'drbdadm.secondary.after/drbdsetup.events2.out': events2('v9-secondary-uptodate-connected'),
      'drbdadm.down.after/drbdsetup.events2.out': events2('empty'),
    }));
    const r = await s.run('stop');
    expect(r.code).toBe(0);
    expect(r.calls.filter((c) => c.startsWith('drbdadm')).map((c) => c.split(' ').at(-2))).toEqual(['secondary', 'down', 'down']);
  });

  it('module not loaded → 0, only the score removed', async () => {
    const s = use(makeStub({}, { proc: null }));
    const r = await s.run('stop');
    expect(r.code).toBe(0);
    expect(r.calls).toEqual(['crm_attribute --promotion -l reboot -D']);
  });

  it('resource not configured → down once more (ignored), 0', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('empty'), 'drbdadm.down.rc': '10' }));
    const r = await s.run('stop');
    expect(r.code).toBe(0);
    expect(r.calls).toEqual(['drbdsetup events2 --now r0', `drbdadm -c ${s.dir}/drbd.conf down r0`, 'crm_attribute --promotion -l reboot -D']);
  });

  it('still held open when the budget runs out → 1 with a reason', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('v9-primary-uptodate-connected'), 'drbdadm.secondary.rc': '11' }));
    const r = await s.run('stop', {}, { OCF_RESKEY_CRM_meta_timeout: '2000' });
    expect(r.code).toBe(1);
    expect(r.reason).toMatch(/still Primary/);
    expect(r.ms).toBeLessThan(2000);
  });

  it('drbdadm down refused (resource gone from the configuration): drbdsetup down directly', async () => {
    const s = use(makeStub({
      'drbdsetup.events2.out': events2('v9-secondary-uptodate-connected'), 'drbdadm.down.rc': '10',
      'drbdsetup.down.after/drbdsetup.events2.out': events2('empty'),
    }));
    const r = await s.run('stop');
    expect(r.code).toBe(0);
    expect(r.calls).toContain('drbdsetup down r0');
  });

  it('invalid configuration: drbdsetup down directly; 0 when it succeeds ("fencing narrowly avoided")', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('v9-secondary-uptodate-connected') }));
    const r = await s.run('stop', { drbdconf: '/nonexistent/drbd.conf' });
    expect(r.code).toBe(0);
    expect(r.calls[0]).toBe('drbdsetup down r0');
    expect(r.logs.some((l) => /narrowly avoided/.test(l))).toBe(true);
  });

  it('invalid configuration and drbdsetup down failing while the resource runs → 1; not running → 0', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('v9-secondary-uptodate-connected'), 'drbdsetup.down.rc': '11' }));
    const r = await s.run('stop', { drbdconf: '/nonexistent/drbd.conf' });
    expect(r.code).toBe(1);
    expect(r.reason).toMatch(/drbdsetup down r0' failed/);
    s.write('drbdsetup.events2.out', events2('empty'));
    expect((await s.run('stop', { drbdconf: '/nonexistent/drbd.conf' })).code).toBe(0);
  });

  it.each([[''], ['bad name;rm -rf /'], ['$(touch /tmp/hk-drbd-pwned)']])('drbd_resource %j: 0, nothing run for it', async (res) => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('v9-secondary-uptodate-connected') }));
    const r = await s.run('stop', { drbd_resource: res });
    expect(r.code).toBe(0);
    expect(r.calls.filter((c) => c.startsWith('drbd'))).toEqual([]);
  });
});

describe('notify (always 0)', () => {
  it.each(['pre', 'post'])('%s-start: drbdadm -v adjust to reconnect', async (type) => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('v9-secondary-uptodate-peer-unknown') }));
    const r = await s.run('notify', {}, notifyEnv(type, 'start', { start_uname: 'node-b' }));
    expect(r.code).toBe(0);
    expect(r.calls).toContain(`drbdadm -c ${s.dir}/drbd.conf -v adjust r0`);
  });

  it('start notification with connect_only_after_promote: no adjust', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('v9-secondary-uptodate-peer-unknown') }));
    const r = await s.run('notify', { connect_only_after_promote: 'true' }, notifyEnv('pre', 'start'));
    expect(r.code).toBe(0);
    expect(r.calls.some((c) => c.includes('adjust'))).toBe(false);
  });

  it('post-promote refreshes the score', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('v9-secondary-uptodate-connected') }));
    const r = await s.run('notify', {}, notifyEnv('post', 'promote', { promoted_uname: 'node-b' }));
    expect(r.code).toBe(0);
    expect(s.read('score')?.trim()).toBe('10000');
    expect(r.calls.some((c) => c.includes('adjust') || c.includes('outdate'))).toBe(false);
  });

  it.each([
    ['promoted_uname', 'node-b'],
    ['master_uname', 'node-b'], // legacy name
  ])('stop_outdates_secondary: peer promoted (%s) while disconnected → drbdadm outdate, score removed', async (v, peer) => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('v9-secondary-uptodate-peer-unknown'), score: '1000\n' }));
    const r = await s.run('notify', { stop_outdates_secondary: 'true' }, notifyEnv('post', 'promote', { [v]: peer }));
    expect(r.code).toBe(0);
    expect(r.calls).toContain(`drbdadm -c ${s.dir}/drbd.conf outdate r0`);
    expect(s.read('score')).toBeUndefined();
  });

  it('stop_outdates_secondary: no outdate when the promoted peer is the one stopping, or when off', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('v9-secondary-uptodate-peer-unknown') }));
    const r = await s.run('notify', { stop_outdates_secondary: 'true' }, notifyEnv('post', 'stop', { promoted_uname: 'node-b', stop_uname: 'node-b' }));
    expect(r.calls.some((c) => c.includes('outdate'))).toBe(false);
    const r2 = await s.run('notify', {}, notifyEnv('post', 'promote', { promoted_uname: 'node-b' }));
    expect(r2.calls.some((c) => c.includes('outdate'))).toBe(false);
  });

  it('both Primary while disconnected: SPLIT BRAIN logged as crit, nothing outdated or discarded', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('v9-standalone-primary') }));
    const r = await s.run('notify', { stop_outdates_secondary: 'true' }, notifyEnv('post', 'promote', { promoted_uname: 'node-a node-b' }));
    expect(r.code).toBe(0);
    expect(r.logs.some((l) => /CRIT: resource internal SPLIT BRAIN: both node-a and node-b are Primary/.test(l))).toBe(true);
    expect(r.calls.some((c) => /outdate|primary|secondary|invalidate|discard/.test(c))).toBe(false);
  });

  it('pre-start on a StandAlone (split-brain) link: reported before the reconnecting adjust', async () => {
    const s = use(makeStub({
      'drbdsetup.events2.out': events2('v9-standalone-primary'),
      'drbdadm.adjust.after/drbdsetup.events2.out': events2('v9-standalone-primary').replace('connection:StandAlone', 'connection:Connecting'),
    }));
    const r = await s.run('notify', {}, notifyEnv('post', 'start'));
    expect(r.code).toBe(0);
    expect(r.logs.some((l) => /CRIT: .*StandAlone \(post-start notification\): split brain/.test(l))).toBe(true);
    expect(r.calls).toContain(`drbdadm -c ${s.dir}/drbd.conf -v adjust r0`);
  });

  it.each(['pre', 'post'])('%s-start after a split brain (8.4 style): "split brain" on stderr before the reconnect', async (type) => {
    const s = use(makeStub({
      'drbdsetup.events2.out': events2('84style-standalone-primary'),
      'drbdadm.adjust.after/drbdsetup.events2.out': events2('real84-primary-disconnected'),
    }));
    const r = await s.run('notify', {}, notifyEnv(type, 'start'));
    expect(r.code).toBe(0);
    expect(r.logs.filter((l) => /CRIT: .*split brain/i.test(l))).toHaveLength(1);
  });

  it('StandAlone after a change: crit log', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('v9-standalone-primary') }));
    const r = await s.run('notify', {}, notifyEnv('post', 'start', { start_uname: 'node-b' }));
    expect(r.code).toBe(0);
    expect(r.logs.some((l) => /CRIT: .*StandAlone/.test(l))).toBe(true);
  });

  it('tools failing or missing: still 0', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('v9-secondary-uptodate-connected'), 'drbdadm.adjust.rc': '10' }));
    expect((await s.run('notify', {}, notifyEnv('pre', 'start'))).code).toBe(0);
    expect((await s.run('notify', {}, { ...notifyEnv('post', 'start'), PATH: '/nonexistent' })).code).toBe(0);
    expect((await s.run('notify', { drbd_resource: '' }, notifyEnv('post', 'start'))).code).toBe(0);
  });
});

describe('reload, reload-agent, validate-all, status, unknown actions', () => {
  it('reload: adjust when running, score refreshed', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('v9-secondary-uptodate-connected') }));
    const r = await s.run('reload');
    expect(r.code).toBe(0);
    expect(r.calls).toContain(`drbdadm -c ${s.dir}/drbd.conf adjust r0`);
    expect(s.read('score')?.trim()).toBe('10000');
  });

  it('reload-agent: the new ladder applies at once', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('v9-secondary-uptodate-connected'), score: '10000\n' }));
    const r = await s.run('reload-agent', { adjust_master_score: '0 5 50 500' });
    expect(r.code).toBe(0);
    expect(s.read('score')?.trim()).toBe('500');
    expect(r.calls.some((c) => c.includes('adjust'))).toBe(false);
  });

  it('a bad adjust_master_score falls back to the default with an error logged', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('v9-secondary-uptodate-connected') }));
    const r = await s.run('monitor', { adjust_master_score: '0 10 x' }, { OCF_RESKEY_CRM_meta_interval: '20000' });
    expect(r.code).toBe(0);
    expect(s.read('score')?.trim()).toBe('10000');
    expect(r.logs.some((l) => /ERROR: adjust_master_score/.test(l))).toBe(true);
  });

  it.each([
    [{}, {}, 0],
    [{ drbd_resource: 'r 0' }, {}, 6],
    [{ require_drbd_module_version_ge: '9.0.0' }, {}, 5],
    [{}, { 'drbdadm.dump.rc': '10' }, 5],
  ])('validate-all %j %j → %d', async (params, files, code) => {
    const s = use(makeStub(files));
    expect((await s.run('validate-all', params)).code).toBe(code);
  });

  it('validate-all without the module: kernel version from drbdadm --version, else modinfo, else 5', async () => {
    const s = use(makeStub({}, { proc: null }));
    expect((await s.run('validate-all')).code).toBe(0);
    s.write('drbdadm.version.out', 'DRBD_KERNEL_VERSION_CODE=0x000000\n');
    const r = await s.run('validate-all');
    expect(r.code).toBe(5);
    expect(r.reason).toMatch(/module not available/);
    s.write('modinfo.out', '8.4.11\n');
    expect((await s.run('validate-all')).code).toBe(0);
  });

  it('status reports the role without touching the score', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('v9-primary-uptodate-connected') }));
    const r = await s.run('status');
    expect(r.code).toBe(8);
    expect(r.calls).toEqual(['drbdsetup events2 --now r0']);
  });

  it('events2 not answering in time: monitor fails (1), never "not running"', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('v9-primary-uptodate-connected'), 'drbdsetup.events2.sleep': '3' }));
    const r = await s.run('monitor', {}, { OCF_RESKEY_CRM_meta_interval: '10000', OCF_RESKEY_CRM_meta_timeout: '1000' });
    expect(r.code).toBe(1);
    expect(r.reason).toMatch(/did not answer in time/);
  });

  it('unknown action → 3', async () => {
    const s = use(makeStub());
    expect((await s.run('migrate_to')).code).toBe(3);
  });
});
