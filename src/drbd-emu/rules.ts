// DRBD's rules as pure functions: state-change refusals (with the kernel's codes) and the handshake decision.
import { UUID_JUST_CREATED, UUID_ZERO, type DiskState, type Snapshot, type Uuids } from './types';

// Kernel state-change results (enum drbd_state_rv) and their texts, as drbdsetup prints them.
export const SS: Record<number, string> = {
  [-1]: 'Multiple primaries not allowed by config',
  [-2]: 'Need access to UpToDate data',
  [-4]: 'Need a connection to start verify or resync',
  [-6]: 'Refusing to be Outdated while Connected',
  [-7]: 'Refusing to be Primary while peer is not outdated',
  [-9]: 'Can not disconnect a StandAlone device',
  [-10]: 'State change was refused by peer node',
  [-11]: 'Device is diskless, the requested operation requires a disk',
  [-12]: 'Device is held open by someone',
  [-16]: 'Disk state is lower than outdated',
};

export interface Refusal { rv: number }

// May this node become Primary? (force: `primary --force`)
export const checkPromote = (s: Snapshot, force: boolean, allowTwoPrimaries: boolean): Refusal | undefined => {
  if (s.role === 'Primary') return undefined;
  if (s.peer === 'Primary' && !allowTwoPrimaries) return { rv: -1 };
  if (s.disk === 'Diskless' && s.pdsk !== 'UpToDate') return { rv: -2 };
  if (s.disk === 'UpToDate') return undefined;
  if (force && (s.disk === 'Inconsistent' || s.disk === 'Outdated' || s.disk === 'Consistent')) {
    // forcing is refused while a resync towards us is running (the data is being overwritten)
    if (s.cstate === 'SyncTarget' || s.cstate === 'PausedSyncT') return { rv: -2 };
    return undefined;
  }
  if (s.disk === 'Consistent' && s.cstate === 'Connected' && s.pdsk !== 'UpToDate') return undefined;
  return { rv: -2 };
};

// May this node become Secondary? `openers` is how many times the device is held open.
export const checkDemote = (s: Snapshot, openers: number): Refusal | undefined =>
  s.role === 'Primary' && openers > 0 ? { rv: -12 } : undefined;

// May the local disk be marked Outdated?
export const checkOutdate = (s: Snapshot): Refusal | undefined => {
  if (s.disk === 'Diskless') return { rv: -11 };
  // the real 8.4.11 kernel accepts outdate while Connected as Secondary (recorded: exit 0, no output)
  if (s.cstate.startsWith('Sync')) return { rv: -6 };
  if (s.role === 'Primary') return { rv: -7 };
  if (s.disk === 'Inconsistent') return { rv: -16 };
  return undefined;
};

const base = (u: string): string => (BigInt(`0x${u}`) & ~1n).toString(16).padStart(16, '0');
const eq = (a: string, b: string): boolean => a !== UUID_ZERO && base(a) === base(b);

export type Handshake =
  | { kind: 'none' } // in sync, no resync
  | { kind: 'source' | 'target'; full: boolean }
  | { kind: 'split-brain' }
  | { kind: 'unrelated' };

export interface Side { uuids: Uuids; disk: DiskState; role: 'Primary' | 'Secondary'; changes: number; discardMyData: boolean; name: string }

// The resync decision on connect, from this node's view (DRBD's uuid comparison, simplified to one peer).
export const compareUuids = (me: Uuids, peer: Uuids): Handshake => {
  const mc = me.current;
  const pc = peer.current;
  if (base(mc) === base(UUID_JUST_CREATED) && base(pc) === base(UUID_JUST_CREATED)) return { kind: 'none' };
  if (base(mc) === base(UUID_JUST_CREATED)) return { kind: 'target', full: true };
  if (base(pc) === base(UUID_JUST_CREATED)) return { kind: 'source', full: true };
  if (eq(mc, pc)) return { kind: 'none' };
  if (eq(me.bitmap, pc)) return { kind: 'source', full: false };
  if (eq(peer.bitmap, mc)) return { kind: 'target', full: false };
  if (eq(me.bitmap, peer.bitmap)) return { kind: 'split-brain' };
  if (me.history.some((h) => eq(h, pc)) || eq(me.bitmap, peer.history[0]) ) return { kind: 'source', full: true };
  if (peer.history.some((h) => eq(h, mc)) || eq(peer.bitmap, me.history[0])) return { kind: 'target', full: true };
  if ([me.bitmap, ...me.history].some((x) => [peer.bitmap, ...peer.history].some((y) => eq(x, y)))) return { kind: 'split-brain' };
  return { kind: 'unrelated' };
};

export interface AfterSbPolicy { pri0: string; pri1: string; pri2: string }

// Automatic split-brain recovery: 'me' / 'peer' names the node whose changes are discarded, undefined = disconnect.
export const resolveSplitBrain = (me: Side, peer: Side, p: AfterSbPolicy): 'me' | 'peer' | undefined => {
  if (me.discardMyData && !peer.discardMyData) return 'me';
  if (peer.discardMyData && !me.discardMyData) return 'peer';
  const primaries = (me.role === 'Primary' ? 1 : 0) + (peer.role === 'Primary' ? 1 : 0);
  const policy = primaries === 0 ? p.pri0 : primaries === 1 ? p.pri1 : p.pri2;
  const zeroOrLeast = (least: boolean): 'me' | 'peer' | undefined => {
    if (me.changes === 0 && peer.changes > 0) return 'me';
    if (peer.changes === 0 && me.changes > 0) return 'peer';
    if (!least && (me.changes > 0 || peer.changes > 0)) return undefined;
    if (me.changes !== peer.changes) return me.changes < peer.changes ? 'me' : 'peer';
    return me.name > peer.name ? 'me' : 'peer'; // tie: DRBD uses a fixed node preference too
  };
  switch (policy) {
    case 'discard-zero-changes': return zeroOrLeast(false);
    case 'discard-least-changes': return zeroOrLeast(true);
    case 'discard-secondary': return me.role === 'Secondary' ? 'me' : 'peer';
    case 'discard-younger-primary':
    case 'discard-older-primary':
    case 'consensus':
      return primaries === 0 ? zeroOrLeast(true) : (me.role === 'Secondary' ? 'me' : 'peer');
    default:
      if (policy.startsWith('discard-node-')) return policy.slice(13) === me.name ? 'me' : 'peer';
      return undefined;
  }
};

// A fresh random 64-bit generation identifier (lowest bit: primary indicator, cleared).
export const newUuid = (rand: () => number = Math.random): string =>
  ((BigInt(Math.floor(rand() * 2 ** 32)) << 32n | BigInt(Math.floor(rand() * 2 ** 32))) & ~1n | 0x10n).toString(16).toUpperCase().padStart(16, '0');

// Rotate in a new current UUID the way DRBD does when data diverges (promotion or first write while disconnected).
export const rotateUuids = (u: Uuids, fresh: string): Uuids =>
  u.bitmap === UUID_ZERO ? { current: fresh, bitmap: u.current, history: u.history } : { current: fresh, bitmap: u.bitmap, history: u.history };

// After a finished resync both sides hold the source's current UUID; the old bitmap UUID moves into history.
export const afterSyncSource = (u: Uuids): Uuids =>
  u.bitmap === UUID_ZERO ? u : { current: u.current, bitmap: UUID_ZERO, history: [u.bitmap, u.history[0]] };
