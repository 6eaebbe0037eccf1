import { promotedPeerNotStopping, type NotifyInfo } from './notify-env';
import { removeScore } from './promotion';
import { drbdadm, logFailure, type Session } from './session';
import type { DrbdState } from './state';

// stop_outdates_secondary, and the "both Primary while disconnected" split-brain report.

// Logs a split brain when this node is Primary, cannot see its peer, and Pacemaker reports another node
// promoted (single-primary). Returns true when reported. Never resolves it.
export const reportBothPrimary = (s: Session, state: DrbdState, n: NotifyInfo): boolean => {
  if (state.role !== 'Primary' || (s.ctx.meta.promotedMax ?? 1) >= 2) return false;
  const host = promotedPeerNotStopping(n, s.self);
  if (host === undefined) return false;
  s.ctx.log.crit(
    `resource internal SPLIT BRAIN: both ${s.self} and ${host} are Primary for ${s.res}, but the replication link is ` +
      'down; nothing is discarded automatically: decide which data to keep and resolve it by hand (docs/drbd.md)',
  );
  return true;
};

// With stop_outdates_secondary: mark the local data Outdated when another node is Primary (and not being
// stopped) per the notify variables; returns true when it did.
export const maybeOutdateSelf = async (s: Session, state: DrbdState, n: NotifyInfo): Promise<boolean> => {
  if (!s.ctx.params.stop_outdates_secondary) return false;
  const host = promotedPeerNotStopping(n, s.self);
  if (host === undefined) return false;
  if (state.role === 'Primary') {
    reportBothPrimary(s, state, n);
    return false;
  }
  s.ctx.log.info(`outdating ${s.res}: according to the notify variables, ${host} is still Promoted`);
  const r = await drbdadm(s, ['outdate']);
  if (r.code !== 0) logFailure(s, r, 'warn');
  await removeScore(s, true);
  return true;
};
