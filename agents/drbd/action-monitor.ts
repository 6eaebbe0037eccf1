import { OCF, type OcfExitCode } from '../../src/ocf/exit-codes';
import { currentScore, removeScore, updateScore } from './promotion';
import { openSession, readState, type Ctx, type Session } from './session';
import { describeState, summarizeState, type DrbdState } from './state';

// monitor / status: the real role as the exit code (Primary 8, Secondary 0, not configured 7), and the
// promotion score refreshed from the state.

// OCF code of a state: Primary → RUNNING_PROMOTED, Secondary → SUCCESS, anything else → NOT_RUNNING.
export const roleCode = (state: DrbdState): OcfExitCode =>
  state.role === 'Primary' ? OCF.RUNNING_PROMOTED : state.role === 'Secondary' ? OCF.SUCCESS : OCF.NOT_RUNNING;

// Reports loudly (crit) a replication link that DRBD dropped for good: after a split brain DRBD refuses the peer
// and stays StandAlone (an operator's `drbdadm disconnect` looks the same). Never resolved here.
export const reportStandAlone = (s: Session, state: DrbdState, when: string): boolean => {
  if (s.ctx.params.connect_only_after_promote && state.role !== 'Primary') return false;
  const sa = summarizeState(state).standAlonePeers;
  if (sa.length === 0) return false;
  s.ctx.log.crit(`${s.res}: replication link to ${sa.join(', ')} is StandAlone (${when}): split brain, or disconnected by ` +
    'an operator; NOT replicating, nothing is discarded automatically: resolve it by hand (docs/drbd.md)');
  return true;
};

// monitor: probes find 7 quietly (no score change); otherwise the score follows the state.
export const monitor = async (ctx: Ctx): Promise<OcfExitCode> => {
  const s = openSession(ctx);
  // A recurring monitor needs both: the score's read is started first and runs while the state is read (measured
  // A/B: -2 to -7 % wall per monitor, CPU unchanged); settled before anything else happens, whatever readState does.
  const score = ctx.isProbe ? undefined : currentScore(s, true);
  const state = await readState(s).finally(() => score);
  const code = roleCode(state);
  ctx.log.debug(`${s.res}: ${describeState(state)}`);
  if (code === OCF.NOT_RUNNING) {
    if (!ctx.isProbe) {
      await currentScore(s);
      await removeScore(s);
    }
    return code;
  }
  await updateScore(s, state);
  reportStandAlone(s, state, 'monitor');
  return code;
};

// status (not advertised): the role only, nothing written.
export const status = async (ctx: Ctx): Promise<OcfExitCode> => roleCode(await readState(openSession(ctx)));
