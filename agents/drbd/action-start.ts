import { sleepWithin } from '../../src/ocf/budget';
import { OCF, type OcfExitCode } from '../../src/ocf/exit-codes';
import { attach, connect, createDevices, ensureModule } from './connect';
import { updateScore } from './promotion';
import { type Ctx, drbdadm, logFailure, openSession, outOfTime, readState, type Session } from './session';
import { describeState, summarizeState, type DrbdState } from './state';
import { checkCloneMeta, checkModuleVersion } from './validate';

// start: module, devices, disk, connection; ends Unpromoted (a Primary found here is demoted), score set.

// After our own connect request, a StandAlone link means DRBD refused the peer: a split brain (or a refused
// handshake). Reported loudly; never resolved by discarding data.
const refusedPeers = (s: Session, state: DrbdState): string[] =>
  s.ctx.params.connect_only_after_promote ? [] : [...summarizeState(state).standAlonePeers];

export const start = async (ctx: Ctx): Promise<OcfExitCode> => {
  const s = openSession(ctx);
  await ensureModule(s);
  const v9 = (await checkModuleVersion(s)) >= 0x090000;
  checkCloneMeta(ctx, v9);
  let first = true;
  let attachFailed = false;
  for (;;) {
    if (!first && outOfTime(ctx)) {
      ctx.reason(`start of ${s.res} did not complete within the timeout`);
      return OCF.ERR_GENERIC;
    }
    const state = await readState(s);
    ctx.log.debug(`${s.res}: start: ${describeState(state)}`);
    if (state.role === 'Secondary') {
      // a disk left detached (an earlier failed attach, a leftover from a crashed start) is attached now, once
      const detached = state.volumes.some((v) => v.disk === 'Diskless' && !v.client);
      if ((attachFailed || detached) && !(await attach(s, v9))) {
        ctx.reason(`failed to attach the backing disk of ${s.res}`);
        return OCF.ERR_GENERIC;
      }
      let final = attachFailed || detached ? await readState(s) : state;
      if (!ctx.params.connect_only_after_promote) {
        await connect(s, state, v9);
        final = await readState(s);
      }
      await updateScore(s, final);
      const refused = refusedPeers(s, final);
      if (refused.length) {
        const msg = `SPLIT BRAIN suspected: DRBD dropped the connection of ${s.res} to ${refused.join(', ')} (StandAlone) ` +
          'right after connecting; nothing was discarded, resolve it by hand (see docs/drbd.md)';
        ctx.log.crit(msg);
        ctx.reason(msg);
        return OCF.ERR_GENERIC;
      }
      return OCF.SUCCESS;
    }
    let failed = false;
    if (state.role === 'Primary') {
      ctx.log.warn(`${s.res} already Primary, demoting (start must end Unpromoted)`);
      const r = await drbdadm(s, ['secondary']);
      if (r.code !== 0) logFailure(s, r);
      failed = r.code !== 0;
    } else {
      if (first) {
        const r = await drbdadm(s, ['check-resize']);
        if (r.code !== 0) logFailure(s, r, 'info');
      }
      const made = await createDevices(s);
      if (!made.ok) {
        ctx.reason(made.why ?? `cannot create the DRBD devices of ${s.res}`);
        return OCF.ERR_GENERIC;
      }
      if (!(await attach(s, v9))) {
        if (!first) {
          ctx.reason(`failed to attach the backing disk of ${s.res}`);
          return OCF.ERR_GENERIC;
        }
        attachFailed = true;
        failed = true;
      }
    }
    if (!first && failed) await sleepWithin(ctx.budget, 1000);
    first = false;
  }
};
