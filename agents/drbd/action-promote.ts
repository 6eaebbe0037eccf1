import { sleepWithin } from '../../src/ocf/budget';
import { OCF, type OcfExitCode } from '../../src/ocf/exit-codes';
import { removeScore } from './promotion';
import { type Ctx, drbdadm, logFailure, openSession, outOfTime, promotedPeers, readState, type Session } from './session';
import { describeState, summarizeState, type DrbdState } from './state';

// promote / demote. A promote that cannot succeed fails at once; a failed promote waits out the anti-flap delay.

// A failed promote returns no sooner than this many seconds after it started (as ocf:linbit:drbd), so that
// Pacemaker's recovery does not spin.
export const PROMOTE_MIN_FAIL_DELAY_S = 15;
// drbdadm's exit code when DRBD refuses to become Primary without access to UpToDate data.
export const DRBDADM_REFUSED = 17;
const REFUSAL_TEXT = /UpToDate data|Need access to UpToDate|No access to good data/i;

// Why this node must not even try: no UpToDate data here nor at a connected peer (Consistent is left to DRBD,
// which may promote it after fencing the peer).
export const promoteBlocker = (state: DrbdState): string | undefined => {
  const s = summarizeState(state);
  if (s.diskAllUpToDate || s.somePeerAllUpToDate) return undefined;
  if (!s.disklessClient && s.diskAllConsistent) return undefined;
  return `Refusing to promote ${state.role} without access to UpToDate data (${describeState(state)})`;
};

// Single-primary, DRBD sees a Primary peer, and Pacemaker does not know it as promoted.
const unexpectedPeerPrimary = async (s: Session, state: DrbdState): Promise<boolean> => {
  if ((s.ctx.meta.promotedMax ?? 1) !== 1) return false;
  const sum = summarizeState(state);
  if (sum.primary || !sum.somePeerPrimary) return false;
  const peers = await promotedPeers(s);
  return peers !== undefined && peers.length === 0;
};

export const promote = async (ctx: Ctx): Promise<OcfExitCode> => {
  const started = Date.now();
  const s = openSession(ctx);
  const fail = async (why: string): Promise<OcfExitCode> => {
    ctx.reason(why);
    const wait = PROMOTE_MIN_FAIL_DELAY_S * 1000 - (Date.now() - started);
    if (wait > 0) {
      ctx.log.warn(`promotion failed; waiting ${Math.ceil(wait / 1000)} s to prevent a tight recovery loop`);
      await sleepWithin(ctx.budget, wait);
    }
    return OCF.ERR_GENERIC;
  };
  let first = true;
  for (;;) {
    if (!first && outOfTime(ctx)) return fail(`promote of ${s.res} did not succeed within the timeout`);
    const state = await readState(s);
    if (state.role === 'Unconfigured') return fail(`cannot promote ${s.res}: it is not started`);
    if (state.role === 'Primary') {
      if (ctx.params.connect_only_after_promote) {
        const r = await drbdadm(s, ['-v', 'adjust']);
        if (r.code !== 0) logFailure(s, r, 'warn');
      }
      return OCF.SUCCESS;
    }
    const blocker = promoteBlocker(state);
    if (blocker) return fail(blocker);
    if (!first && (await unexpectedPeerPrimary(s, state))) {
      if (ctx.params.fail_promote_early_if_peer_primary) {
        await removeScore(s, true);
        return fail(`peer of ${s.res} is already/still Primary (unknown to Pacemaker)`);
      }
      ctx.log.info('peer is already/still Primary; promote will likely fail or need several attempts, retrying');
    }
    const r = await drbdadm(s, ['primary']);
    if (r.code === 0) {
      // the role change is synchronous: rc 0 means every volume is Primary now
      if (ctx.params.connect_only_after_promote) {
        const a = await drbdadm(s, ['-v', 'adjust']);
        if (a.code !== 0) logFailure(s, a, 'warn');
      }
      return OCF.SUCCESS;
    }
    logFailure(s, r);
    if (r.code === DRBDADM_REFUSED || REFUSAL_TEXT.test(r.stderr)) {
      return fail('Refusing to be promoted to Primary without access to UpToDate data');
    }
    if (!first) await sleepWithin(ctx.budget, 1000);
    first = false;
  }
};

export const demote = async (ctx: Ctx): Promise<OcfExitCode> => {
  const s = openSession(ctx);
  let first = true;
  for (;;) {
    if (!first && outOfTime(ctx)) {
      ctx.reason(`demote of ${s.res} did not succeed within the timeout (device still in use?)`);
      return OCF.ERR_GENERIC;
    }
    const state = await readState(s);
    if (state.role === 'Unconfigured') {
      ctx.reason(`cannot demote ${s.res}: it is not running`);
      return OCF.ERR_GENERIC;
    }
    if (state.role === 'Secondary') return OCF.SUCCESS;
    const r = await drbdadm(s, ['secondary']);
    if (r.code === 0) return OCF.SUCCESS; // synchronous role change
    logFailure(s, r, first ? 'warn' : 'err');
    if (!first) await sleepWithin(ctx.budget, 1000);
    first = false;
  }
};
