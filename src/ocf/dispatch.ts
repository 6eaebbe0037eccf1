import { createBudget, timeoutFromEnv } from './budget';
import type { AgentContext } from './context';
import { checkLevelFromEnv, isProbeCall, metaFromEnv } from './env';
import { codeOfError, ConfigError, OcfError, reasonOfError } from './errors';
import { createExitReason } from './exit-reason';
import { OCF, exitCodeName, type OcfExitCode } from './exit-codes';
import { createLogger, sinksFromEnv, type LogSinks, type Logger } from './log';
import { readParams, type ParamDefs } from './params';
import type { AgentSpec } from './spec';
import { createRunner, type Runner } from '../exec/run';
import { writeFd } from './stdio';
import type { Budget } from './budget';

// What an invocation talks to; tests replace the pieces they need.
export interface AgentIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  sinks?: (agent: string, env: NodeJS.ProcessEnv) => LogSinks;
  runner?: (deps: { budget: Budget; log: Logger }) => Runner;
}

export const processIO: AgentIO = {
  stdout: (s) => writeFd(1, s),
  stderr: (s) => writeFd(2, s),
};

const INFO_ACTIONS = new Set(['meta-data', 'usage', 'help', '--help', '-h', 'methods']);

export const usageText = (spec: AgentSpec): string =>
  `usage: ${spec.name} {${[...Object.keys(spec.actions).filter((a) => !spec.actions[a]?.hidden), 'meta-data'].join('|')}}\n\n` +
  `${spec.shortdesc}\nParameters arrive as OCF_RESKEY_<name> in the environment; \`${spec.name} meta-data\` lists them.\n`;

// Stop may throw these when it cannot tell what to stop; nothing of ours can be running then.
const isConfigKind = (e: unknown) =>
  e instanceof OcfError && (e.code === OCF.ERR_CONFIGURED || e.code === OCF.ERR_INSTALLED || e.code === OCF.ERR_ARGS);

// Runs one action of an agent and returns its OCF exit code; never throws, never exits (runMain does).
export const runAgent = async <D extends ParamDefs>(
  spec: AgentSpec<D>,
  action: string,
  env: NodeJS.ProcessEnv,
  io: AgentIO = processIO,
): Promise<OcfExitCode> => {
  // meta-data/usage: stdout only, no root, no parameters, nothing else touched.
  if (INFO_ACTIONS.has(action)) {
    if (action === 'meta-data') {
      const { buildMetadata } = await import('./metadata');
      io.stdout(`${buildMetadata(spec as unknown as AgentSpec)}\n`);
    } else if (action === 'methods') {
      io.stdout(`${[...Object.keys(spec.actions), 'meta-data'].join('\n')}\n`);
    } else io.stdout(usageText(spec as unknown as AgentSpec));
    return OCF.SUCCESS;
  }
  const def = Object.prototype.hasOwnProperty.call(spec.actions, action) ? spec.actions[action] : undefined;
  if (!def) {
    io.stderr(usageText(spec as unknown as AgentSpec));
    createExitReason(env, io.stderr).set(`action ${JSON.stringify(action.slice(0, 40))} is not implemented by ${spec.name}`);
    return OCF.ERR_UNIMPLEMENTED;
  }
  const timeoutMs = timeoutFromEnv(env, def.timeout);
  const budget = createBudget(timeoutMs);
  const log = createLogger((io.sinks ?? sinksFromEnv)(spec.name, env));
  const reason = createExitReason(env, io.stderr);
  const isProbe = isProbeCall(action, env);
  const read = readParams(spec.params, env);
  for (const w of read.warnings) log.warn(w);
  let noted: string | undefined;
  const ctx: AgentContext<typeof read.params> = {
    agent: spec.name,
    action,
    params: read.params,
    given: read.given,
    env,
    instance: env.OCF_RESOURCE_INSTANCE ?? '',
    isProbe,
    checkLevel: checkLevelFromEnv(env),
    meta: metaFromEnv(env, timeoutMs),
    budget,
    log,
    exec: (io.runner ?? createRunner)({ budget, log }),
    reason: (msg) => { noted ??= msg; },
  };
  const finish = (code: OcfExitCode, why?: string): OcfExitCode => {
    // probe: a resource found stopped is the normal answer, reported without an exit reason.
    if (why !== undefined && code !== OCF.SUCCESS && !(isProbe && code === OCF.NOT_RUNNING)) reason.set(why);
    if (code !== OCF.SUCCESS && code !== OCF.NOT_RUNNING && code !== OCF.RUNNING_PROMOTED) {
      log.err(`${action} failed: ${exitCodeName(code)}${why ? `: ${why}` : ''}`);
    }
    log.flush();
    return code;
  };
  try {
    let invalid: OcfError | undefined = read.errors[0];
    if (!invalid && def.validate && spec.validate) {
      try {
        await spec.validate(ctx);
      } catch (e) {
        invalid = e instanceof OcfError ? e : new ConfigError(reasonOfError(e));
      }
    }
    if (invalid && !def.tolerant) {
      // ocf-rarun's handling of an invalid environment.
      if (action === 'stop') {
        log.warn(`stop with an invalid configuration (${invalid.message}); nothing of ours can be running`);
        if (spec.onInvalidStop) await spec.onInvalidStop(ctx).catch((e) => log.warn(`best-effort stop: ${reasonOfError(e)}`));
        return finish(OCF.SUCCESS);
      }
      if (isProbe) return finish(OCF.NOT_RUNNING);
      if (action === 'monitor') return finish(OCF.ERR_GENERIC, invalid.message);
      return finish(invalid.code, invalid.message);
    }
    const code = await def.run(ctx);
    return finish(code, noted);
  } catch (e) {
    const why = reasonOfError(e);
    if (action === 'stop' && isConfigKind(e)) {
      log.warn(`stop: ${why}; nothing of ours can be running`);
      return finish(OCF.SUCCESS);
    }
    if (isProbe && isConfigKind(e)) return finish(OCF.NOT_RUNNING);
    return finish(codeOfError(e), why);
  }
};

// The process entry for an agent: the action is argv[2]; the only place that exits.
export const runMain = async (spec: AgentSpec<any>, action: string | undefined): Promise<never> => {
  const code = await runAgent(spec, action ?? '', process.env);
  process.exit(code);
};
