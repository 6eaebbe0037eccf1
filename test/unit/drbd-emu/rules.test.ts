// DRBD's rules in the emulated kernel: promotion/demotion/outdate refusals, generation identifiers deciding the
// resync direction, split-brain detection and the after-sb policies.
import { describe, expect, it } from 'vitest';
import { checkDemote, checkOutdate, checkPromote, compareUuids, resolveSplitBrain, rotateUuids, afterSyncSource, type Side } from '../../../src/drbd-emu/rules';
import { UUID_JUST_CREATED, UUID_ZERO, type Snapshot, type Uuids } from '../../../src/drbd-emu/types';

const snap = (o: Partial<Snapshot>): Snapshot => ({
  name: 'r0', minor: 0, vnr: 0, role: 'Secondary', peer: 'Secondary', cstate: 'Connected', disk: 'UpToDate', pdsk: 'UpToDate',
  susp: false, userIsp: false, peerIsp: false, aftrIsp: false, configured: { disk: true, net: true }, protocol: 'C', sizeKiB: 1024,
  stats: { ns: 0, nr: 0, dw: 0, dr: 0, al: 0, bm: 0, oosKiB: 0 }, res_opts: {}, ...o,
});
const u = (current: string, bitmap = UUID_ZERO, h0 = UUID_ZERO): Uuids => ({ current, bitmap, history: [h0, UUID_ZERO] });

describe('state changes', () => {
  it('no promotion without UpToDate data unless forced (-2 → exit 17)', () => {
    expect(checkPromote(snap({ disk: 'Inconsistent' }), false, false)).toEqual({ rv: -2 });
    expect(checkPromote(snap({ disk: 'Outdated', cstate: 'StandAlone' }), false, false)).toEqual({ rv: -2 });
    expect(checkPromote(snap({ disk: 'Inconsistent', pdsk: 'Inconsistent' }), true, false)).toBeUndefined();
    expect(checkPromote(snap({ disk: 'Inconsistent', cstate: 'SyncTarget' }), true, false)).toEqual({ rv: -2 });
  });
  it('one Primary while connected unless allow-two-primaries', () => {
    expect(checkPromote(snap({ peer: 'Primary' }), false, false)).toEqual({ rv: -1 });
    expect(checkPromote(snap({ peer: 'Primary' }), false, true)).toBeUndefined();
  });
  it('demotion refused while the device is held open', () => {
    expect(checkDemote(snap({ role: 'Primary' }), 1)).toEqual({ rv: -12 });
    expect(checkDemote(snap({ role: 'Primary' }), 0)).toBeUndefined();
  });
  it('outdate refused while resyncing or Primary; accepted while Connected as Secondary (as recorded from 8.4.11)', () => {
    expect(checkOutdate(snap({}))).toBeUndefined();
    expect(checkOutdate(snap({ cstate: 'SyncTarget' }))).toEqual({ rv: -6 });
    expect(checkOutdate(snap({ cstate: 'StandAlone', role: 'Primary' }))).toEqual({ rv: -7 });
    expect(checkOutdate(snap({ cstate: 'StandAlone' }))).toBeUndefined();
  });
});

describe('generation identifiers', () => {
  const X = 'AAAA000000000010';
  const Y = 'BBBB000000000010';
  const Z = 'CCCC000000000010';
  it('two fresh disks: no resync; one fresh: full sync from the other', () => {
    expect(compareUuids(u(UUID_JUST_CREATED), u(UUID_JUST_CREATED))).toEqual({ kind: 'none' });
    expect(compareUuids(u(X), u(UUID_JUST_CREATED))).toEqual({ kind: 'source', full: true });
    expect(compareUuids(u(UUID_JUST_CREATED), u(X))).toEqual({ kind: 'target', full: true });
  });
  it('the node that wrote while disconnected (bitmap UUID = peer current) is the sync source', () => {
    const writer = rotateUuids(u(X), Y);
    expect(writer).toEqual(u(Y, X));
    expect(compareUuids(writer, u(X))).toEqual({ kind: 'source', full: false });
    expect(compareUuids(u(X), writer)).toEqual({ kind: 'target', full: false });
  });
  it('both wrote while disconnected: split brain; unrelated data is told apart', () => {
    expect(compareUuids(rotateUuids(u(X), Y), rotateUuids(u(X), Z))).toEqual({ kind: 'split-brain' });
    expect(compareUuids(u(Y), u(Z))).toEqual({ kind: 'unrelated' });
  });
  it('after a resync the bitmap UUID moves into history', () => {
    expect(afterSyncSource(u(Y, X))).toEqual({ current: Y, bitmap: UUID_ZERO, history: [X, UUID_ZERO] });
  });
});

describe('after-sb policies', () => {
  const side = (o: Partial<Side>): Side => ({ uuids: u(UUID_ZERO), disk: 'UpToDate', role: 'Secondary', changes: 1, discardMyData: false, name: 'a', ...o });
  const off = { pri0: 'disconnect', pri1: 'disconnect', pri2: 'disconnect' };
  it('disconnect (the default) resolves nothing', () => {
    expect(resolveSplitBrain(side({}), side({ name: 'b' }), off)).toBeUndefined();
  });
  it('--discard-my-data names the victim', () => {
    expect(resolveSplitBrain(side({ discardMyData: true }), side({ name: 'b' }), off)).toBe('me');
    expect(resolveSplitBrain(side({}), side({ name: 'b', discardMyData: true }), off)).toBe('peer');
  });
  it('discard-zero-changes / discard-least-changes / discard-secondary', () => {
    expect(resolveSplitBrain(side({ changes: 0 }), side({ name: 'b', changes: 5 }), { ...off, pri0: 'discard-zero-changes' })).toBe('me');
    expect(resolveSplitBrain(side({ changes: 3 }), side({ name: 'b', changes: 5 }), { ...off, pri0: 'discard-zero-changes' })).toBeUndefined();
    expect(resolveSplitBrain(side({ changes: 3 }), side({ name: 'b', changes: 5 }), { ...off, pri0: 'discard-least-changes' })).toBe('me');
    expect(resolveSplitBrain(side({ role: 'Primary' }), side({ name: 'b' }), { ...off, pri1: 'discard-secondary' })).toBe('peer');
  });
  it('both sides reach the same verdict', () => {
    const a = side({ changes: 2 });
    const b = side({ name: 'b', changes: 7 });
    const p = { ...off, pri0: 'discard-least-changes' };
    expect(resolveSplitBrain(a, b, p)).toBe('me');
    expect(resolveSplitBrain(b, a, p)).toBe('peer');
  });
});
