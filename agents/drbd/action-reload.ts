import { OCF, type OcfExitCode } from '../../src/ocf/exit-codes';
import { updateScore } from './promotion';
import { drbdadm, logFailure, openSession, readState, type Ctx } from './session';

// reload (legacy: re-read the DRBD configuration) and reload-agent (OCF 1.1: new agent parameters).

// reload: `drbdadm adjust` when running, then the score with the current parameters.
export const reload = async (ctx: Ctx): Promise<OcfExitCode> => {
  const s = openSession(ctx);
  const state = await readState(s);
  if (state.role === 'Unconfigured') return OCF.SUCCESS;
  const r = await drbdadm(s, ['adjust']);
  if (r.code !== 0) logFailure(s, r, 'warn');
  await updateScore(s, await readState(s));
  return OCF.SUCCESS;
};

// reload-agent: the reloadable parameters only change decisions; re-apply the score with them.
export const reloadAgent = async (ctx: Ctx): Promise<OcfExitCode> => {
  const s = openSession(ctx);
  const state = await readState(s);
  if (state.role !== 'Unconfigured') await updateScore(s, state);
  return OCF.SUCCESS;
};
