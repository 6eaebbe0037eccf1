import type { StateSummary } from './state';

// The promotion-score ladder of ocf:linbit:drbd as a pure function, with its data-safety rules made explicit.

export interface Ladder {
  readonly onlyConsistent: number; // all local disks Consistent, nothing better known
  readonly onlyRemote: number; // local disk not UpToDate, some peer has UpToDate data (reads go to the peer)
  readonly localOk: number; // local UpToDate, some peer's disk state unknown
  readonly best: number; // local UpToDate and every peer known (or Primary with UpToDate data)
}

export const DEFAULT_LADDER: Ladder = { onlyConsistent: 0, onlyRemote: 10, localOk: 1000, best: 10000 };
export const DEFAULT_LADDER_TEXT = '0 10 1000 10000';

// Parses adjust_master_score: four non-negative integers, non-decreasing, and "only remote" strictly below
// "local ok" so that a node without local UpToDate data never ties a node with it. Bad input → error + default.
export const parseLadder = (raw: string): { ladder: Ladder; error?: string } => {
  const parts = raw.trim().split(/\s+/).filter((x) => x !== '');
  if (parts.length !== 4 || !parts.every((x) => /^\d{1,9}$/.test(x))) {
    return { ladder: DEFAULT_LADDER, error: `adjust_master_score must be 4 non-negative integers, got ${JSON.stringify(raw.slice(0, 60))}` };
  }
  const [c, r, l, b] = parts.map(Number) as [number, number, number, number];
  if (!(c <= r && r < l && l <= b)) {
    return { ladder: DEFAULT_LADDER, error: `adjust_master_score ${parts.join(' ')} must satisfy consistent <= remote < local_ok <= best` };
  }
  return { ladder: { onlyConsistent: c, onlyRemote: r, localOk: l, best: b } };
};

export type RemoveIfPeerPrimary = 'never' | 'always' | 'unexpected';

export interface ScoreInput {
  readonly summary: StateSummary;
  readonly ladder: Ladder;
  // stricter setting: no "only remote" score for a node whose own disk is not UpToDate
  readonly strict: boolean;
  readonly removeIfPeerPrimary: RemoveIfPeerPrimary;
  // for removeIfPeerPrimary=unexpected: does Pacemaker know a promoted peer? (undefined: not asked / unknown)
  readonly pacemakerKnowsPromotedPeer?: boolean;
}

export type ScoreDecision =
  | { readonly kind: 'set'; readonly value: number; readonly why: string; readonly unfence?: boolean }
  | { readonly kind: 'remove'; readonly why: string }
  | { readonly kind: 'keep'; readonly why: string };

const set = (value: number, why: string, unfence = false): ScoreDecision =>
  value > 0 ? { kind: 'set', value, why, ...(unfence ? { unfence } : {}) } : { kind: 'remove', why: `${why} (score ${value})` };
const remove = (why: string): ScoreDecision => ({ kind: 'remove', why });

// Whether the decision depends on Pacemaker's view of a promoted peer (ask crm_resource only then).
export const needsPacemakerPrimaryCheck = (i: Omit<ScoreInput, 'pacemakerKnowsPromotedPeer'>): boolean =>
  i.removeIfPeerPrimary === 'unexpected' && peerPrimaryHealthy(i.summary);

const peerPrimaryHealthy = (s: StateSummary) => s.configured && s.haveQuorum && !s.primary && s.somePeerPrimary && s.somePeerAllUpToDate;

// The score this node should carry (checked in ocf:linbit:drbd's order; see docs/drbd.md for the table).
export const computePromotionScore = (i: ScoreInput): ScoreDecision => {
  const s = i.summary;
  const L = i.ladder;
  if (!s.configured) return remove('not running');
  if (!s.haveQuorum) return remove('no quorum');
  if (i.removeIfPeerPrimary !== 'never' && peerPrimaryHealthy(s)) {
    if (i.removeIfPeerPrimary === 'always') return remove('connected to a healthy Primary peer');
    if (i.pacemakerKnowsPromotedPeer === false) return remove('connected to a Primary peer that Pacemaker does not know about');
  }
  if (s.disklessClient) {
    if ((s.primary && s.somePeerAllUpToDate) || s.pdskAllUpToDate) return set(L.best - 1, 'diskless client, peers UpToDate');
    if (s.somePeerAllUpToDate) return set(L.localOk - 1, 'diskless client, some peer UpToDate');
    return remove('diskless client without access to UpToDate data');
  }
  if (s.diskAllUpToDate) {
    if (s.primary) return set(L.best, 'Primary with UpToDate data', s.pdskAllUpToDate);
    if (s.pdskAnyUnknown) return set(L.localOk, 'UpToDate, peer disk state unknown');
    return set(L.best, 'UpToDate, peers known');
  }
  // Below: this node's own data is not UpToDate. It never outranks a node with UpToDate data (onlyRemote < localOk)
  // and gets nothing when no UpToDate data is reachable.
  if (s.somePeerAllUpToDate) {
    if (i.strict) return remove('local disk not UpToDate (strict_promotion_score: no score for remote-only data)');
    return set(L.onlyRemote, 'local disk not UpToDate, a peer has UpToDate data');
  }
  if (s.diskTransitional) return { kind: 'keep', why: 'local disk attaching/negotiating' };
  if (s.diskAllConsistent) return set(L.onlyConsistent, 'local disk Consistent, no UpToDate peer known');
  return remove('no UpToDate data reachable');
};
