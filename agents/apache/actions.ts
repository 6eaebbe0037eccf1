import { accessSync, constants, statSync } from 'node:fs';
import { ConfigError, GenericError, NotInstalledError, OcfError } from '../../src/ocf/errors';
import { OCF, type OcfExitCode } from '../../src/ocf/exit-codes';
import { resolveInstance, type Instance } from './config';
import { checkInstance, DEFAULT_TESTREGEX, regexParam, type Ctx } from './monitor';
import { splitOptions, startInstance } from './start';
import { runningPid } from './status';
import { stopInstance } from './stop';

// The instance this invocation manages (parameters + parsed config).
export const instanceOf = (ctx: Ctx): Instance => {
  const inst = resolveInstance(ctx.params, ctx.env, ctx.instance);
  for (const p of inst.problems) ctx.log.debug(`config: ${p}`);
  ctx.log.debug(`httpd=${inst.httpd} config=${inst.configfile} pidfile=${inst.pidFile} statusurl=${inst.statusUrl}`);
  return inst;
};

// validate (start, validate-all): httpd and config present (5), testconffile readable (5), testurl not blank,
// regexes and options well-formed (6).
export const validate = (ctx: Ctx): void => {
  const p = ctx.params;
  instanceOf(ctx);
  if (p.testconffile) {
    try {
      if (!statSync(p.testconffile).isFile()) throw new Error('not a file');
      accessSync(p.testconffile, constants.R_OK);
    } catch {
      throw new NotInstalledError(`Configuration file ${p.testconffile} not found, or not readable.`);
    }
  } else if (p.testurl !== '' && p.testurl.trim() === '') {
    throw new ConfigError(`testurl: ${JSON.stringify(p.testurl)} seems to be an empty string?`, 'testurl');
  }
  regexParam('testregex', p.testregex || DEFAULT_TESTREGEX);
  if (p.testregex10) regexParam('testregex10', p.testregex10);
  splitOptions(p.options);
  if (p.client) ctx.log.debug(`client=${p.client} ignored: the HTTP check is made in-process`);
};

// start: see startInstance (validated first by the dispatcher).
export const start = async (ctx: Ctx): Promise<OcfExitCode> => startInstance(ctx, instanceOf(ctx));

// stop: not running = 0; else graceful, TERM, KILL of this instance's processes within the time left.
export const stop = async (ctx: Ctx): Promise<OcfExitCode> => {
  const inst = instanceOf(ctx);
  const left = await stopInstance(inst, ctx.budget, ctx.log);
  if (left.length) {
    ctx.reason(`httpd still running (${left.join(' ')}). Killing pid failed.`);
    return OCF.ERR_GENERIC;
  }
  ctx.log.info('httpd stopped.');
  return OCF.SUCCESS;
};

// monitor: 7 when not running; depth 0 status page, depth 10 test URL. A recurring monitor whose config has
// vanished reports a generic failure (1, as ocf_rarun does), never "not installed".
export const monitor = async (ctx: Ctx): Promise<OcfExitCode> => {
  let inst: Instance;
  try {
    inst = instanceOf(ctx);
  } catch (e) {
    if (!ctx.isProbe && e instanceof OcfError && e.code === OCF.ERR_INSTALLED) throw new GenericError(e.message);
    throw e;
  }
  const v = await checkInstance(ctx, inst, { retryPidfile: !ctx.isProbe });
  if (v.code !== OCF.SUCCESS && v.reason) {
    if (v.code === OCF.NOT_RUNNING) ctx.log.info(v.reason);
    ctx.reason(v.reason);
  }
  return v.code;
};

// status: is the process from the pidfile alive (no HTTP check).
export const status = async (ctx: Ctx): Promise<OcfExitCode> =>
  runningPid(instanceOf(ctx)) !== undefined ? OCF.SUCCESS : OCF.NOT_RUNNING;

// validate-all: the checks are the agent's validate(), run by the dispatcher first.
export const validateAll = async (): Promise<OcfExitCode> => OCF.SUCCESS;
