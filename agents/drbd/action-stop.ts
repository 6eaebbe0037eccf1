import { sleepWithin } from '../../src/ocf/budget';
import { OCF, type OcfExitCode } from '../../src/ocf/exit-codes';
import { reasonOfError } from '../../src/ocf/errors';
import { parseNotifyEnv } from './notify-env';
import { maybeOutdateSelf } from './outdate';
import { removeScore } from './promotion';
import { type Ctx, drbdadm, drbdsetup, logFailure, openSession, outOfTime, readProc, readState, type Session } from './session';
import { UNCONFIGURED, type DrbdState } from './state';
import { checkConfFile, checkSyntax } from './validate';

// stop: Primary → secondary, Secondary → down, until the kernel no longer knows the resource (bounded by the
// budget). Never fails for a resource that is not running; the score is always removed.

// Best effort when the configuration is unusable: `drbdsetup down <res>` directly, to avoid fencing.
const stopInvalid = async (s: Session, why: string): Promise<OcfExitCode> => {
  s.ctx.log.err(`validate error on stop (${why}); trying 'drbdsetup down ${s.res}' directly to avoid fencing`);
  if (!/^[-%+./0-9:=@A-Z_a-z]{1,255}$/.test(s.res)) return OCF.SUCCESS; // no DRBD resource can have that name
  const r = await drbdsetup(s, ['down', s.res]);
  if (r.code === 0) {
    s.ctx.log.err('fencing of this node narrowly avoided: FIX THE CONFIGURATION');
    await removeScore(s, true);
    return OCF.SUCCESS;
  }
  logFailure(s, r);
  const state = r.notFound ? UNCONFIGURED : await readState(s).catch(() => UNCONFIGURED);
  if (state.role === 'Unconfigured') return OCF.SUCCESS;
  s.ctx.reason(`invalid configuration (${why}) and 'drbdsetup down ${s.res}' failed: resource still ${state.role}`);
  return OCF.ERR_GENERIC;
};

export const stop = async (ctx: Ctx): Promise<OcfExitCode> => {
  const s = openSession(ctx);
  if (!s.res) return OCF.SUCCESS; // nothing named, nothing of ours can run
  try {
    checkSyntax(ctx);
    checkConfFile(ctx);
  } catch (e) {
    return stopInvalid(s, reasonOfError(e));
  }
  let first = true;
  let last: DrbdState = UNCONFIGURED;
  for (;;) {
    if (!first && outOfTime(ctx)) {
      ctx.reason(`could not stop ${s.res}: still ${last.role} (device in use?)`);
      return OCF.ERR_GENERIC;
    }
    last = await readState(s);
    if (last.role === 'Unconfigured') {
      // deconfigured but maybe not yet removed (8.4): down once more, ignoring the result (not without the module)
      if (readProc(ctx) !== undefined) await drbdadm(s, ['down']);
      break;
    }
    let failed = false;
    if (last.role === 'Primary') {
      ctx.log.warn(`${s.res} still Primary, demoting`);
      const r = await drbdadm(s, ['secondary']);
      if (r.code !== 0) logFailure(s, r);
      failed = r.code !== 0;
    } else {
      const r = await drbdadm(s, ['down']);
      if (r.code !== 0) {
        logFailure(s, r);
        const d = await drbdsetup(s, ['down', s.res]); // e.g. the resource left the configuration file
        if (d.code !== 0) logFailure(s, d);
        failed = d.code !== 0;
      }
    }
    if (!first && failed) await sleepWithin(ctx.budget, 1000); // retry pace only while something fails
    first = false;
  }
  await maybeOutdateSelf(s, last, parseNotifyEnv(ctx.env));
  await removeScore(s, true);
  return OCF.SUCCESS;
};
