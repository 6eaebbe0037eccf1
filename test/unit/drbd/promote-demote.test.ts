import { afterEach, describe, expect, it } from 'vitest';
import { DUMP_TWO_PRIMARIES, events2, locateXml, makeStub, type Stub } from './stub';
import { PROMOTE_MIN_FAIL_DELAY_S } from '../../../agents/drbd/action-promote';

let stub: Stub | undefined;
const use = (s: Stub) => (stub = s);
afterEach(() => {
  stub?.cleanup();
  stub = undefined;
});
// A short timeout keeps the anti-flap wait (bounded by the budget) short in tests.
const SHORT = { OCF_RESKEY_CRM_meta_timeout: '1000' };
const primaryCalls = (calls: string[]) => calls.filter((c) => / primary r0$/.test(c));

describe('promote', () => {
  it('Secondary with UpToDate data → drbdadm primary → 0', async () => {
    const s = use(makeStub({
      'drbdsetup.events2.out': events2('v9-secondary-uptodate-connected'),
      'drbdadm.primary.after/drbdsetup.events2.out': events2('v9-primary-uptodate-connected'),
    }));
    const r = await s.run('promote');
    expect(r.code).toBe(0);
    // rc 0 of drbdadm primary is the synchronous role change: no re-read needed
    expect(r.calls).toEqual(['drbdsetup events2 --now r0', `drbdadm -c ${s.dir}/drbd.conf primary r0`]);
  });

  it('already Primary → 0 without drbdadm primary', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('v9-primary-uptodate-connected') }));
    const r = await s.run('promote');
    expect(r.code).toBe(0);
    expect(primaryCalls(r.calls)).toEqual([]);
  });

  it('resyncing from an UpToDate peer: DRBD may promote (reads go to the peer)', async () => {
    const s = use(makeStub({
      'drbdsetup.events2.out': events2('v9-secondary-synctarget'),
      'drbdadm.primary.after/drbdsetup.events2.out': events2('v9-primary-uptodate-connected'),
    }));
    expect((await s.run('promote')).code).toBe(0);
  });

  it.each(['v9-both-inconsistent', 'v9-outdated-disconnected', 'real84-empty-disk-alone', 'real84-both-inconsistent'])(
    '%s: no UpToDate data reachable → 1 at once, drbdadm primary never called', async (name) => {
      const s = use(makeStub({ 'drbdsetup.events2.out': events2(name) }));
      const r = await s.run('promote', {}, SHORT);
      expect(r.code).toBe(1);
      expect(r.reason).toMatch(/without access to UpToDate data/);
      expect(primaryCalls(r.calls)).toEqual([]);
      expect(r.calls).toEqual(['drbdsetup events2 --now r0']);
    },
  );

  it('drbdadm primary exit 17 → 1 with a clear reason, no retry', async () => {
    const s = use(makeStub({
      'drbdsetup.events2.out': events2('v9-consistent-disconnected'),
      'drbdadm.primary.rc': '17',
      'drbdadm.primary.err': 'r0: State change failed: (-2) Need access to UpToDate data\n',
    }));
    const r = await s.run('promote', {}, SHORT);
    expect(r.code).toBe(1);
    expect(r.reason).toBe('Refusing to be promoted to Primary without access to UpToDate data');
    expect(primaryCalls(r.calls)).toHaveLength(1);
  });

  it(`a failed promote waits out the anti-flap delay (${PROMOTE_MIN_FAIL_DELAY_S} s), bounded by the timeout`, async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('v9-both-inconsistent') }));
    const r = await s.run('promote', {}, { OCF_RESKEY_CRM_meta_timeout: '2500' });
    expect(r.code).toBe(1);
    expect(r.ms).toBeGreaterThanOrEqual(1800); // the budget (2.5 s minus the 200 ms margin), not 15 s
    expect(r.ms).toBeLessThan(2500);
    expect(r.logs.some((l) => /tight recovery loop/.test(l))).toBe(true);
  });

  it('not started → 1', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('empty') }));
    const r = await s.run('promote', {}, SHORT);
    expect(r.code).toBe(1);
    expect(r.reason).toMatch(/not started/);
  });

  it('drbdadm primary failing otherwise: retried within the budget, then 1', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('v9-secondary-uptodate-connected'), 'drbdadm.primary.rc': '11' }));
    const r = await s.run('promote', {}, { OCF_RESKEY_CRM_meta_timeout: '2500' });
    expect(r.code).toBe(1);
    expect(r.reason).toMatch(/did not succeed within the timeout/);
    expect(primaryCalls(r.calls).length).toBeGreaterThanOrEqual(2);
    expect(r.ms).toBeLessThan(2500);
  });

  it('fail_promote_early_if_peer_primary: a Primary peer unknown to Pacemaker stops the retries and the score', async () => {
    const s = use(makeStub({
      'drbdsetup.events2.out': events2('v9-secondary-uptodate-connected'), // peer node-b is Primary
      'drbdadm.primary.rc': '11', 'crm_resource.out': locateXml([['node-a', false], ['node-b', false]]), score: '10000\n',
    }));
    const r = await s.run('promote', { fail_promote_early_if_peer_primary: 'true' }, { OCF_RESKEY_CRM_meta_timeout: '4000' });
    expect(r.code).toBe(1);
    expect(r.reason).toMatch(/already\/still Primary/);
    expect(primaryCalls(r.calls)).toHaveLength(1);
    expect(s.read('score')).toBeUndefined();
  });

  it('connect_only_after_promote: adjust after becoming Primary', async () => {
    const s = use(makeStub({
      'drbdsetup.events2.out': events2('v9-secondary-uptodate-peer-unknown'),
      'drbdadm.primary.after/drbdsetup.events2.out': events2('v9-primary-uptodate-connected'),
    }));
    const r = await s.run('promote', { connect_only_after_promote: 'true' });
    expect(r.code).toBe(0);
    expect(r.calls.at(-1)).toBe(`drbdadm -c ${s.dir}/drbd.conf -v adjust r0`);
  });

  it.each([
    [{}, {}, 6, /notify/, { OCF_RESKEY_CRM_meta_notify: 'false' }],
    [{ 'drbdadm.dump.out': 'resource r0 { }\n' }, {}, 6, /allow-two-primaries/, { OCF_RESKEY_CRM_meta_promoted_max: '2' }],
    [{ 'drbdadm.dump.out': DUMP_TWO_PRIMARIES }, {}, 0, undefined, { OCF_RESKEY_CRM_meta_promoted_max: '2' }],
  ])('validation %j %j → %d', async (files, params, code, reason, meta) => {
    const s = use(makeStub({
      'drbdsetup.events2.out': events2('v9-secondary-uptodate-connected'),
      'drbdadm.primary.after/drbdsetup.events2.out': events2('v9-primary-uptodate-connected'),
      ...files,
    }));
    const r = await s.run('promote', params, meta);
    expect(r.code).toBe(code);
    if (reason) expect(r.reason).toMatch(reason);
  });
});

describe('demote', () => {
  it('Primary → drbdadm secondary → 0', async () => {
    const s = use(makeStub({
      'drbdsetup.events2.out': events2('v9-primary-uptodate-connected'),
      'drbdadm.secondary.after/drbdsetup.events2.out': events2('v9-secondary-uptodate-connected'),
    }));
    const r = await s.run('demote');
    expect(r.code).toBe(0);
    expect(r.calls).toEqual(['drbdsetup events2 --now r0', `drbdadm -c ${s.dir}/drbd.conf secondary r0`]);
  });

  it('already Secondary → 0, nothing changed', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('v9-secondary-uptodate-connected') }));
    const r = await s.run('demote');
    expect(r.code).toBe(0);
    expect(r.calls).toEqual(['drbdsetup events2 --now r0']);
  });

  it('without notify=true → 6, nothing run', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('v9-primary-uptodate-connected') }));
    const r = await s.run('demote', {}, { OCF_RESKEY_CRM_meta_notify: 'false' });
    expect(r.code).toBe(6);
    expect(r.calls).toEqual([]);
  });

  it('not running → 1', async () => {
    const s = use(makeStub({ 'drbdsetup.events2.out': events2('empty') }));
    const r = await s.run('demote');
    expect(r.code).toBe(1);
    expect(r.reason).toMatch(/not running/);
  });

  it('device held open: retried until the budget, then 1', async () => {
    const s = use(makeStub({
      'drbdsetup.events2.out': events2('v9-primary-uptodate-connected'),
      'drbdadm.secondary.rc': '11', 'drbdadm.secondary.err': 'r0: State change failed: (-12) Device is held open by someone\n',
    }));
    const r = await s.run('demote', {}, { OCF_RESKEY_CRM_meta_timeout: '2500' });
    expect(r.code).toBe(1);
    expect(r.reason).toMatch(/still in use/);
    expect(r.ms).toBeLessThan(2500);
  });
});
