import { afterEach, describe, expect, it } from 'vitest';
import { DUMP_TWO_PRIMARIES, events2, fixture, makeStub, type Stub } from './stub';
import { FORBIDDEN_ARGS } from '../../../agents/drbd/safety';

let stub: Stub | undefined;
const use = (s: Stub) => (stub = s);
afterEach(() => {
  stub?.cleanup();
  stub = undefined;
});
const noForbidden = (calls: string[]) => {
  for (const c of calls) for (const f of FORBIDDEN_ARGS) expect(c.split(' ')).not.toContain(f);
};
const PROBE = { OCF_RESKEY_CRM_meta_interval: '0' };
const RECURRING = { OCF_RESKEY_CRM_meta_interval: '20000' };

describe('monitor', () => {
  it('probe without the kernel module: 7, nothing run, no exit reason', async () => {
    const s = use(makeStub({}, { proc: null }));
    const r = await s.run('monitor', {}, PROBE);
    expect(r.code).toBe(7);
    expect(r.calls).toEqual([]);
    expect(r.reason).toBeUndefined();
  });

  it('probe with the module but without the resource: 7 and the score left alone', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('empty'), score: '10000\n' }));
    const r = await s.run('monitor', {}, PROBE);
    expect(r.code).toBe(7);
    expect(r.calls).toEqual(['drbdsetup events2 --now r0']);
    expect(s.read('score')).toBe('10000\n');
  });

  it.each([
    ['v9-secondary-uptodate-connected', 0, '10000'],
    ['v9-primary-uptodate-connected', 8, '10000'],
    ['v9-secondary-uptodate-peer-unknown', 0, '1000'],
    ['v9-secondary-synctarget', 0, '10'],
    ['v9-standalone-primary', 8, '10000'],
  ])('recurring monitor, %s → %d, score %s', async (name, code, score) => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2(name) }));
    const r = await s.run('monitor', {}, RECURRING);
    expect(r.code).toBe(code);
    expect(s.read('score')?.trim()).toBe(score);
    // state and current score are read at the same time, then the new score written
    expect(r.calls.slice(0, 2).sort()).toEqual(['crm_attribute --promotion -l reboot -G -q', 'drbdsetup events2 --now r0']);
    expect(r.calls.slice(2)).toEqual([`crm_attribute --promotion -l reboot -v ${score}`]);
  });

  it('a StandAlone link is reported loudly (crit), the role code unchanged', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('v9-standalone-primary') }));
    const r = await s.run('monitor', {}, RECURRING);
    expect(r.code).toBe(8);
    expect(r.logs.some((l) => /CRIT: r0: replication link to node-b is StandAlone \(monitor\): split brain/.test(l))).toBe(true);
  });

  it('an unchanged score is read once and not written again', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('v9-primary-uptodate-connected'), score: '10000\n' }));
    const r = await s.run('monitor', {}, RECURRING);
    expect(r.code).toBe(8);
    expect([...r.calls].sort()).toEqual(['crm_attribute --promotion -l reboot -G -q', 'drbdsetup events2 --now r0']);
  });

  it.each(['v9-both-inconsistent', 'v9-outdated-disconnected', 'v9-no-quorum'])('%s: an existing score is removed', async (name) => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2(name), score: '10000\n' }));
    const r = await s.run('monitor', {}, RECURRING);
    expect(r.code).toBe(0);
    expect(s.read('score')).toBeUndefined();
    expect(r.calls).toContain('crm_attribute --promotion -l reboot -D');
  });

  it('recurring monitor of a stopped resource: 7 and the score removed', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('empty'), score: '10\n' }));
    const r = await s.run('monitor', {}, RECURRING);
    expect(r.code).toBe(7);
    expect(s.read('score')).toBeUndefined();
  });

  it('events2 failing: /proc/drbd with drbdadm sh-minor as fallback', async () => {
    const s = use(makeStub({
      'drbdsetup.events2.rc': '20', 'drbdsetup.events2.err': 'Could not connect to genl family drbd\n',
      'drbdadm.sh-minor.out': '0\n',
    }, { proc: fixture('proc/8.4.11-real-primary-connected.txt') }));
    const r = await s.run('monitor', {}, RECURRING);
    expect(r.code).toBe(8);
    const i = r.calls.indexOf('drbdsetup events2 --now r0');
    expect(r.calls[i + 1] === `drbdadm -c ${s.dir}/drbd.conf sh-minor r0` || r.calls[i + 2] === `drbdadm -c ${s.dir}/drbd.conf sh-minor r0`).toBe(true);
    expect(s.read('score')?.trim()).toBe('10000');
  });

  it('remove_master_score_if_peer_primary=unexpected asks crm_resource once', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('v9-secondary-uptodate-connected'), score: '10000\n', 'crm_resource.out': '<pacemaker-result><nodes resource="p_drbd"><node>node-a</node></nodes></pacemaker-result>' }));
    const r = await s.run('monitor', { remove_master_score_if_peer_primary: 'unexpected' }, RECURRING);
    expect(r.code).toBe(0);
    expect(r.calls.filter((c) => c.startsWith('crm_resource'))).toEqual(['crm_resource --locate --resource p_drbd --output-as=xml']);
    expect(s.read('score')).toBeUndefined();
  });

  it('invalid parameters: probe 7, recurring monitor 1', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('v9-secondary-uptodate-connected') }));
    expect((await s.run('monitor', { drbd_resource: '' }, PROBE)).code).toBe(7);
    const r = await s.run('monitor', { drbd_resource: '' }, RECURRING);
    expect(r.code).toBe(1);
    expect(r.reason).toMatch(/drbd_resource/);
  });

  it('drbdsetup missing: probe 7, recurring monitor 5', async () => {
    const s = use(makeStub());
    expect((await s.run('monitor', {}, { ...PROBE, PATH: '/nonexistent' })).code).toBe(7);
    expect((await s.run('monitor', {}, { ...RECURRING, PATH: '/nonexistent' })).code).toBe(5);
  });

  it('unfence_if_all_uptodate runs drbdadm unfence-peer with unfence_extra_args in its environment', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('v9-primary-uptodate-connected') }));
    const r = await s.run('monitor', { unfence_if_all_uptodate: 'true' }, RECURRING);
    expect(r.code).toBe(8);
    expect(r.calls).toContain(`drbdadm -c ${s.dir}/drbd.conf unfence-peer r0`);
  });
});

describe('start', () => {
  const upFiles = (after: string) => ({
    'drbdsetup.events2.out': events2('empty'),
    'drbdadm.attach.after/drbdsetup.events2.out': events2(after),
  });

  it('brings an 8.4 resource up: devices, attach, connect, wait, score; ends Unpromoted', async () => {
    const s = use(makeStub(upFiles('v9-secondary-uptodate-connected')));
    const r = await s.run('start');
    expect(r.code).toBe(0);
    const c = `drbdadm -c ${s.dir}/drbd.conf`;
    expect(r.calls).toEqual([
      `${c} -d -v dump r0`,
      'drbdsetup events2 --now r0',
      `${c} check-resize r0`,
      `${c} new-resource r0`,
      `${c} new-minor r0`,
      `${c} sh-dev r0`,
      `${c} attach r0`,
      'drbdsetup events2 --now r0',
      `${c} adjust r0`,
      'drbdsetup wait-connect 0 --wfc-timeout=5 --degr-wfc-timeout=5 --outdated-wfc-timeout=5',
      'drbdsetup events2 --now r0',
      'crm_attribute --promotion -l reboot -G -q',
      'crm_attribute --promotion -l reboot -v 10000',
    ]);
    noForbidden(r.calls);
  });

  it('loads the module first when /proc/drbd is missing (modprobe with drbdadm sh-mod-parms)', async () => {
    const s = use(makeStub({ ...upFiles('v9-secondary-uptodate-connected'), proc: fixture('proc/8.4.11-real-secondary-connected.txt'), 'drbdadm.sh-mod-parms.out': 'minor_count=8\n' }, { proc: null }));
    const r = await s.run('start');
    expect(r.code).toBe(0);
    expect(r.calls).toContain('modprobe -s drbd minor_count=8');
  });

  it('modprobe failing → 5', async () => {
    const s = use(makeStub({ 'modprobe.rc': '1' }, { proc: null }));
    const r = await s.run('start');
    expect(r.code).toBe(5);
    expect(r.reason).toMatch(/drbd kernel module/);
  });

  it.each([
    [{ require_drbd_module_version_lt: '8.4.0' }, 5, /require_drbd_module_version_lt/],
    [{ require_drbd_module_version_ge: '9.0.0' }, 5, /require_drbd_module_version_ge/],
    [{ require_drbd_module_version_ge: '9.0' }, 6, /invalid version format/],
    [{ drbd_resource: 'r0;touch /tmp/hk-drbd-pwned' }, 6, /must only contain/],
    [{ drbd_resource: '$(touch /tmp/hk-drbd-pwned)' }, 6, /must only contain/],
    [{ drbdconf: '/nonexistent/drbd.conf' }, 5, /not readable/],
  ])('%j → %d', async (params, code, reason) => {
    const s = use(makeStub(upFiles('v9-secondary-uptodate-connected')));
    const r = await s.run('start', params);
    expect(r.code).toBe(code);
    expect(r.reason).toMatch(reason);
    expect(r.calls.filter((c) => /attach|adjust|new-/.test(c))).toEqual([]);
  });

  it.each([
    [{ OCF_RESKEY_CRM_meta_notify: 'false' }, {}, 6, /notify/],
    [{ OCF_RESKEY_CRM_meta_notify: 'false' }, { ignore_missing_notifications: 'true' }, 0, undefined],
    [{ OCF_RESKEY_CRM_meta_clone_node_max: '2' }, {}, 6, /clone-node-max/],
    [{ OCF_RESKEY_CRM_meta_promoted_max: '3' }, {}, 6, /promoted-max/],
    [{ OCF_RESKEY_CRM_meta_clone_max: '3' }, {}, 6, /clone-max/],
    [{ OCF_RESKEY_CRM_meta_master_max: '2' }, {}, 6, /allow-two-primaries/],
  ])('meta %j params %j → %d', async (meta, params, code, reason) => {
    const s = use(makeStub(upFiles('v9-secondary-uptodate-connected')));
    const r = await s.run('start', params, meta);
    expect(r.code).toBe(code);
    if (reason) expect(r.reason).toMatch(reason);
  });

  it('dual-primary with allow-two-primaries in drbdadm dump starts', async () => {
    const s = use(makeStub({ ...upFiles('v9-secondary-uptodate-connected'), 'drbdadm.dump.out': DUMP_TWO_PRIMARIES }));
    expect((await s.run('start', {}, { OCF_RESKEY_CRM_meta_promoted_max: '2' })).code).toBe(0);
  });

  it('resource missing from the configuration → 5', async () => {
    const s = use(makeStub({ 'drbdadm.dump.rc': '10', 'drbdadm.dump.err': "'r0' not defined in your config (for this host).\n" }));
    const r = await s.run('start');
    expect(r.code).toBe(5);
    expect(r.reason).toMatch(/not found in configuration/);
  });

  it('already Primary: demoted, then 0', async () => {
    const s = use(makeStub({
      'drbdsetup.events2.out': events2('v9-primary-uptodate-connected'),
      'drbdadm.secondary.after/drbdsetup.events2.out': events2('v9-secondary-uptodate-connected'),
    }));
    const r = await s.run('start');
    expect(r.code).toBe(0);
    expect(r.calls).toContain(`drbdadm -c ${s.dir}/drbd.conf secondary r0`);
  });

  it('a leftover detached (Diskless) resource is attached before connecting', async () => {
    const s = use(makeStub({
      'drbdsetup.events2.out': events2('v9-secondary-uptodate-peer-unknown').replace('disk:UpToDate client:no', 'disk:Diskless client:no'),
      'drbdadm.attach.after/drbdsetup.events2.out': events2('v9-secondary-uptodate-connected'),
    }));
    const r = await s.run('start');
    expect(r.code).toBe(0);
    const c = `drbdadm -c ${s.dir}/drbd.conf`;
    expect(r.calls.filter((x) => x.startsWith('drbdadm')).slice(1)).toEqual([`${c} attach r0`, `${c} adjust r0`]);
    expect(s.read('score')?.trim()).toBe('10000');
  });

  it('a Primary that cannot be demoted: retried within the budget, then 1', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('v9-primary-uptodate-connected'), 'drbdadm.secondary.rc': '11' }));
    const r = await s.run('start', {}, { OCF_RESKEY_CRM_meta_timeout: '2000' });
    expect(r.code).toBe(1);
    expect(r.reason).toMatch(/did not complete within the timeout/);
    expect(r.calls.filter((c) => c.endsWith(' secondary r0')).length).toBeGreaterThanOrEqual(2);
    expect(r.ms).toBeLessThan(2000);
  });

  it('attach failing twice → 1 with a reason', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('empty'), 'drbdadm.attach.rc': '10' }));
    const r = await s.run('start');
    expect(r.code).toBe(1);
    expect(r.reason).toMatch(/attach/);
    expect(r.calls.filter((c) => c.endsWith('attach r0'))).toHaveLength(2);
  });

  it.each([
    ['1', 'No valid meta data found\n'], // drbdadm-84 on the real 8.4 kernel (VM kit transcript)
    ['10', "0: Failure: (119) No valid meta-data signature found.\n\n\t==> Use 'drbdadm create-md res' to initialize meta-data area. <==\n"],
  ])('a backing disk without DRBD meta-data (rc %s) → 5, kernel objects removed, no create-md', async (rc, err) => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('empty'), 'drbdadm.attach.rc': rc, 'drbdadm.attach.err': err }));
    const r = await s.run('start');
    expect(r.code).toBe(5);
    expect(r.reason).toMatch(/no DRBD meta-data/);
    const c = `drbdadm -c ${s.dir}/drbd.conf`;
    expect(r.calls.slice(-2)).toEqual([`${c} attach r0`, `${c} down r0`]);
    expect(r.calls.some((x) => x.includes('create-md'))).toBe(false);
  });

  it('new-resource failing → 1', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('empty'), 'drbdadm.new-resource.rc': '10' }));
    const r = await s.run('start');
    expect(r.code).toBe(1);
    expect(r.reason).toMatch(/new-resource/);
  });

  it('StandAlone right after connecting: split brain reported (crit + exit reason), 1, nothing discarded', async () => {
    const s = use(makeStub(upFiles('v9-standalone-primary')));
    s.write('drbdadm.attach.after/drbdsetup.events2.out', events2('v9-standalone-primary').replace('role:Primary', 'role:Secondary'));
    const r = await s.run('start');
    expect(r.code).toBe(1);
    expect(r.reason).toMatch(/SPLIT BRAIN/);
    expect(r.logs.some((l) => /CRIT: .*SPLIT BRAIN/.test(l))).toBe(true);
    noForbidden(r.calls);
  });

  it('connect_only_after_promote: no adjust, no wait', async () => {
    const s = use(makeStub(upFiles('v9-secondary-uptodate-peer-unknown')));
    const r = await s.run('start', { connect_only_after_promote: 'true' });
    expect(r.code).toBe(0);
    expect(r.calls.some((c) => /adjust|wait-connect/.test(c))).toBe(false);
  });

  it('wfc_timeout empty or non-numeric: no wait; bounded by the start timeout', async () => {
    const s = use(makeStub(upFiles('v9-secondary-uptodate-connected')));
    const r = await s.run('start', { wfc_timeout: 'never' });
    expect(r.code).toBe(0);
    expect(r.calls.some((c) => c.includes('wait-connect'))).toBe(false);
    const r2 = await s.run('start', { wfc_timeout: '600' }, { OCF_RESKEY_CRM_meta_timeout: '10000' });
    expect(r2.calls.find((c) => c.includes('wait-connect'))).toMatch(/--wfc-timeout=([1-7]) /);
  });

  it('DRBD 9 module: adjust --skip-net to attach, wait-connect-resource, and the promoted peer first', async () => {
    const s = use(makeStub({
      ...upFiles('v9-secondary-uptodate-connected'),
      'drbdadm.version.out': 'DRBD_KERNEL_VERSION_CODE=0x09020c\n',
      'crm_resource.out': '<pacemaker-result><nodes resource="p_drbd"><node state="promoted">node-b</node></nodes></pacemaker-result>',
      'drbdadm.adjust.after/drbdsetup.events2.out': events2('v9-secondary-uptodate-connected'),
    }, { proc: 'version: 9.2.12 (api:2/proto:86-122)\n' }));
    const r = await s.run('start');
    expect(r.code).toBe(0);
    const c = `drbdadm -c ${s.dir}/drbd.conf`;
    expect(r.calls).toContain(`${c} adjust --skip-net r0`);
    expect(r.calls).toContain(`${c} adjust r0:node-b`);
    expect(r.calls).toContain('drbdsetup wait-connect-resource r0 --wfc-timeout=5 --degr-wfc-timeout=5 --outdated-wfc-timeout=5');
  });
});
