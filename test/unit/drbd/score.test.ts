import { describe, expect, it } from 'vitest';
import { parseEvents2 } from '../../../agents/drbd/parse-events2';
import { parseProcDrbd, stateFromProc } from '../../../agents/drbd/parse-proc-drbd';
import {
  computePromotionScore, DEFAULT_LADDER, needsPacemakerPrimaryCheck, parseLadder, type ScoreInput,
} from '../../../agents/drbd/score';
import { summarizeState, type StateSummary } from '../../../agents/drbd/state';
import { fixture } from './stub';

const ev = (name: string) => summarizeState(parseEvents2(fixture(`events2/${name}.txt`), 'r0'));
const proc = (name: string, minor: number) => summarizeState(stateFromProc(parseProcDrbd(fixture(`proc/${name}.txt`)), [minor]));

const input = (summary: StateSummary, over: Partial<ScoreInput> = {}): ScoreInput => ({
  summary, ladder: DEFAULT_LADDER, strict: false, removeIfPeerPrimary: 'never', ...over,
});
const score = (i: ScoreInput) => {
  const d = computePromotionScore(i);
  return d.kind === 'set' ? d.value : d.kind;
};

describe('computePromotionScore: the default ladder 0/10/1000/10000', () => {
  it.each([
    ['v9-primary-uptodate-connected', 10000],
    ['v9-secondary-uptodate-connected', 10000],
    ['v9-secondary-uptodate-peer-unknown', 1000],
    ['v9-secondary-synctarget', 10],
    ['v9-both-inconsistent', 'remove'],
    ['v9-outdated-disconnected', 'remove'],
    ['v9-consistent-disconnected', 'remove'], // only_consistent = 0 → no score
    ['v9-attaching', 'keep'],
    ['v9-diskless-client', 9999],
    ['v9-no-quorum', 'remove'],
    ['v9-standalone-primary', 10000],
    ['v9-two-volumes-mixed', 10], // one volume resyncing from an UpToDate peer
    ['empty', 'remove'],
    ['real84-primary-disconnected', 10000], // recorded on the real 8.4 kernel (VM kit)
    ['real84-secondary-disconnected', 1000],
    ['real84-primary-connected', 10000],
    ['real84-secondary-connected', 10000],
    ['real84-empty-disk-alone', 'remove'],
    ['real84-both-inconsistent', 'remove'],
    ['real84-syncsource-primary', 10000],
  ])('events2 %s → %s', (name, want) => {
    expect(score(input(ev(name)))).toBe(want);
  });

  it.each([
    ['8.4.2-synctarget', 1, 10],
    ['8.4.2-secondary-uptodate', 1, 10000],
    ['8.4.2-connected-both-inconsistent', 1, 'remove'],
    ['8.2.6-syncsource', 0, 10000],
    ['8.3.11-syncsource', 0, 10000],
    ['8.3.11-connected-both-inconsistent', 0, 'remove'],
    ['8.4.11-real-primary-wfconnection', 0, 10000],
  ])('/proc/drbd %s minor %d → %s', (name, minor, want) => {
    expect(score(input(proc(name, minor)))).toBe(want);
  });
});

describe('data safety of the ladder', () => {
  const uptodateNodes = ['v9-primary-uptodate-connected', 'v9-secondary-uptodate-connected', 'v9-secondary-uptodate-peer-unknown'];
  const staleNodes = ['v9-secondary-synctarget', 'v9-both-inconsistent', 'v9-outdated-disconnected', 'v9-two-volumes-mixed',
    'real84-empty-disk-alone', 'real84-both-inconsistent'];
  const ladders = ['0 10 1000 10000', '5 10 11 12', '0 0 1 1', '100 200 300 400'];
  it.each(ladders.flatMap((l) => staleNodes.flatMap((s) => uptodateNodes.map((u) => [l, s, u]))))(
    'ladder %s: %s never reaches %s', (l, stale, good) => {
      const { ladder, error } = parseLadder(l);
      expect(error).toBeUndefined();
      const a = score(input(ev(stale), { ladder }));
      const b = score(input(ev(good), { ladder }));
      const num = (x: number | string) => (typeof x === 'number' ? x : 0);
      expect(num(a)).toBeLessThan(num(b));
    },
  );

  it.each(['v9-both-inconsistent', 'v9-outdated-disconnected', 'real84-empty-disk-alone', 'real84-both-inconsistent'])('%s: no UpToDate data reachable → no score on any ladder', (name) => {
    for (const l of ladders) expect(score(input(ev(name), { ladder: parseLadder(l).ladder }))).toBe('remove');
  });

  it.each([
    ['v9-secondary-synctarget', 'remove'],
    ['v9-two-volumes-mixed', 'remove'],
    ['v9-secondary-uptodate-connected', 10000],
    ['v9-secondary-uptodate-peer-unknown', 1000],
  ])('strict_promotion_score: %s → %s', (name, want) => {
    expect(score(input(ev(name), { strict: true }))).toBe(want);
  });
});

describe('remove_master_score_if_peer_primary', () => {
  const s = ev('v9-secondary-uptodate-connected'); // connected to a healthy Primary
  it.each([
    ['never', undefined, 10000],
    ['always', undefined, 'remove'],
    ['unexpected', true, 10000],
    ['unexpected', false, 'remove'],
    ['unexpected', undefined, 10000],
  ] as const)('%s (Pacemaker knows a promoted peer: %s) → %s', (mode, known, want) => {
    expect(score(input(s, { removeIfPeerPrimary: mode, pacemakerKnowsPromotedPeer: known }))).toBe(want);
  });
  it('crm_resource is asked only when the decision depends on it', () => {
    expect(needsPacemakerPrimaryCheck(input(s, { removeIfPeerPrimary: 'unexpected' }))).toBe(true);
    expect(needsPacemakerPrimaryCheck(input(s, { removeIfPeerPrimary: 'always' }))).toBe(false);
    expect(needsPacemakerPrimaryCheck(input(ev('v9-primary-uptodate-connected'), { removeIfPeerPrimary: 'unexpected' }))).toBe(false);
  });
});

describe('the unfence hint and custom ladders', () => {
  it('Primary with every disk UpToDate asks for unfence; not while the peer is unknown', () => {
    expect(computePromotionScore(input(ev('v9-primary-uptodate-connected')))).toMatchObject({ kind: 'set', unfence: true });
    expect(computePromotionScore(input(ev('v9-standalone-primary')))).not.toHaveProperty('unfence');
  });
  it.each([
    ['0 10 1000 10000', [0, 10, 1000, 10000], false],
    ['  1 2 3 4 ', [1, 2, 3, 4], false],
    ['0 10 1000', [0, 10, 1000, 10000], true],
    ['0 10 10 10000', [0, 10, 1000, 10000], true], // remote must stay below local_ok
    ['10 5 1000 10000', [0, 10, 1000, 10000], true],
    ['-1 10 1000 10000', [0, 10, 1000, 10000], true],
    ['a b c d', [0, 10, 1000, 10000], true],
  ])('parseLadder %j', (raw, want, err) => {
    const { ladder, error } = parseLadder(raw);
    expect([ladder.onlyConsistent, ladder.onlyRemote, ladder.localOk, ladder.best]).toEqual(want);
    expect(error !== undefined).toBe(err);
  });
  it('a Consistent-only node gets only_consistent when it is above 0', () => {
    expect(score(input(ev('v9-consistent-disconnected'), { ladder: parseLadder('5 10 1000 10000').ladder }))).toBe(5);
  });
});
