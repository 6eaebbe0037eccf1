import { parseLadder, computePromotionScore, needsPacemakerPrimaryCheck, type RemoveIfPeerPrimary, type ScoreDecision } from './score';
import { drbdadm, logFailure, promotedPeers, type Session } from './session';
import { isTrue } from '../../src/ocf/bool';
import { parseScore } from './parse-tools';
import { summarizeState, type DrbdState } from './state';

// Reads and writes this node's promotion score with crm_attribute --promotion (attribute master-<rsc>, lifetime
// reboot): read once per call, written only when it changes, every call bounded by the action's budget.

const CRM_ATTRIBUTE = 'crm_attribute';

// The current score (read once per call); undefined when absent or unreadable. concurrent: the read may run while
// the caller reads DRBD's state (the monitor).
export const currentScore = async (s: Session, concurrent = false): Promise<number | undefined> => {
  if (s.memo.score !== undefined) return s.memo.score ?? undefined;
  const r = await s.ctx.exec.run(CRM_ATTRIBUTE, ['--promotion', '-l', 'reboot', '-G', '-q'], { concurrent });
  const v = r.code === 0 ? parseScore(r.stdout) : undefined;
  s.memo.score = v ?? null;
  return v;
};

// Sets the score (a value ≤ 0 removes it, as crm_master callers expect).
export const setScore = async (s: Session, value: number): Promise<void> => {
  if (value <= 0) return removeScore(s);
  if ((await currentScore(s)) === value) return;
  const r = await s.ctx.exec.run(CRM_ATTRIBUTE, ['--promotion', '-l', 'reboot', '-v', String(value)]);
  if (r.code !== 0) logFailure(s, r, 'warn');
  else s.memo.score = value;
};

// Removes the score (skipped when the read showed none).
export const removeScore = async (s: Session, always = false): Promise<void> => {
  if (!always && s.memo.score === null) return;
  const r = await s.ctx.exec.run(CRM_ATTRIBUTE, ['--promotion', '-l', 'reboot', '-D']);
  if (r.code !== 0) logFailure(s, r, 'warn');
  else s.memo.score = null;
};

// remove_master_score_if_peer_primary: ocf boolean, or the literal "unexpected".
export const removeMode = (raw: string): RemoveIfPeerPrimary =>
  raw.trim() === 'unexpected' ? 'unexpected' : isTrue(raw) ? 'always' : 'never';

// Decides the score for a state from the parameters (asks crm_resource only when the decision depends on it).
export const decideScore = async (s: Session, state: DrbdState): Promise<ScoreDecision> => {
  const { ladder, error } = parseLadder(s.ctx.params.adjust_master_score);
  if (error) s.ctx.log.err(`${error}; using the default`);
  const base = {
    summary: summarizeState(state),
    ladder,
    strict: s.ctx.params.strict_promotion_score,
    removeIfPeerPrimary: removeMode(s.ctx.params.remove_master_score_if_peer_primary),
  };
  let known: boolean | undefined;
  if (needsPacemakerPrimaryCheck(base)) {
    const peers = await promotedPeers(s);
    known = peers === undefined ? undefined : peers.length > 0;
  }
  return computePromotionScore({ ...base, pacemakerKnowsPromotedPeer: known });
};

// Brings the score in line with the state: set, remove or leave it; runs the unfence hook when asked to.
export const updateScore = async (s: Session, state: DrbdState): Promise<ScoreDecision> => {
  const d = await decideScore(s, state);
  s.ctx.log.debug(`${s.res}: promotion score: ${d.kind}${d.kind === 'set' ? ` ${d.value}` : ''} (${d.why})`);
  if (d.kind === 'set') await setScore(s, d.value);
  else if (d.kind === 'remove') {
    await currentScore(s);
    await removeScore(s);
  }
  if (d.kind === 'set' && d.unfence && s.ctx.params.unfence_if_all_uptodate) {
    const r = await drbdadm(s, ['unfence-peer'], [s.res], { env: { OCF_RESKEY_unfence_extra_args: s.ctx.params.unfence_extra_args } });
    if (r.code !== 0) logFailure(s, r, 'info');
  }
  return d;
};
