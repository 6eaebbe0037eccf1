import { OCF, type OcfExitCode } from '../../src/ocf/exit-codes';
import { reasonOfError } from '../../src/ocf/errors';
import { parseNotifyEnv } from './notify-env';
import { maybeOutdateSelf, reportBothPrimary } from './outdate';
import { updateScore } from './promotion';
import { drbdadm, logFailure, openSession, readState, type Ctx } from './session';
import { summarizeState } from './state';
import { reportStandAlone } from './action-monitor';
import { checkSyntax } from './validate';

// notify: */start → reconnect (drbdadm adjust); post/* → refresh the score, report a split brain, and with
// stop_outdates_secondary outdate this node when a peer is Primary. Always 0 (Pacemaker only logs notify results).

export const notify = async (ctx: Ctx): Promise<OcfExitCode> => {
  try {
    checkSyntax(ctx); // notify runs even with invalid parameters (tolerant): nothing to do then
    const n = parseNotifyEnv(ctx.env);
    const s = openSession(ctx);
    ctx.log.debug(`notify ${n.type ?? '?'}-${n.operation ?? '?'}: promoted=${n.promoted.map((e) => e.uname).join(',')} ` +
      `start=${n.start.map((e) => e.uname).join(',')} stop=${n.stop.map((e) => e.uname).join(',')}`);
    if (n.operation === 'start' && !ctx.params.connect_only_after_promote) {
      const state = await readState(s);
      // reported before the reconnect: right after adjust the link shows Connecting until DRBD drops it again
      reportStandAlone(s, state, `${n.type ?? '?'}-start notification`);
      if (state.role !== 'Unconfigured') {
        const r = await drbdadm(s, ['-v', 'adjust']);
        if (r.code !== 0) logFailure(s, r, 'warn');
      }
    }
    if (n.type === 'post') {
      const state = await readState(s);
      if (state.role === 'Unconfigured') return OCF.SUCCESS;
      await updateScore(s, state);
      const sum = summarizeState(state);
      if (n.operation !== 'start') reportStandAlone(s, state, `post-${n.operation ?? '?'} notification`);
      if (sum.pdskAnyUnknown && !reportBothPrimary(s, state, n)) await maybeOutdateSelf(s, state, n);
    }
  } catch (e) {
    ctx.log.err(`notify: ${reasonOfError(e)} (ignored: notify always succeeds)`);
  }
  return OCF.SUCCESS;
};
