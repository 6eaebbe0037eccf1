import { readFileSync } from 'node:fs';
import { ConfigError, OCF, type AgentContext, type OcfExitCode } from '../../src/ocf/index';
import { buildConfig, type FsConfig, type FsParams } from './config';
import { hasOption } from './device-spec';
import { cloneVerdict, kernelSupports, kernelTypeFor } from './fstypes';
import { monitor } from './monitor';
import { canonicalMountpoint } from './host';
import { start } from './start';
import { stop } from './stop';

type Ctx = AgentContext<FsParams>;

const configOf = (ctx: Ctx, lenient = false): FsConfig => buildConfig(ctx.params, (m) => ctx.log.warn(m), lenient);

// The checks of start and validate-all: parameter syntax, a mount point that is not "/", the clone guard,
// the monitor depth. validate-all does not look for the device (it may run before the device exists).
export const validate = (ctx: Ctx): void => {
  const cfg = configOf(ctx);
  const mp = canonicalMountpoint(cfg.directory).path;
  if (mp === '/') throw new ConfigError(`directory ${cfg.directory} resolves to /`, 'directory');
  if (![0, 10, 20].includes(ctx.checkLevel)) throw new ConfigError(`unsupported monitor level ${ctx.env.OCF_CHECK_LEVEL ?? ''}`);
  const cloneMax = ctx.meta.cloneMax;
  if (cloneMax !== undefined && cloneMax > 0) {
    const v = cloneVerdict(cfg.fstype, hasOption(cfg.options, 'ro'), ctx.params.force_clones);
    if (v === 'refuse') {
      throw new ConfigError(`DANGER! ${cfg.fstype || 'this filesystem'} on ${cfg.source} is NOT cluster-aware; refusing to run it as a clone (set force_clones=true only if you know it is safe)`, 'fstype');
    }
    if (v === 'warn') ctx.log.warn(`${cfg.fstype} on ${cfg.source} is NOT cluster-aware, but it is ${ctx.params.force_clones ? 'forced (force_clones)' : 'read-only'}`);
  }
};

// start: see start.ts.
export const startAction = async (ctx: Ctx): Promise<OcfExitCode> => start(ctx, configOf(ctx));

// stop: runs even with invalid settings (defaults stand in); without device or directory nothing can be ours.
export const stopAction = async (ctx: Ctx): Promise<OcfExitCode> => {
  if (ctx.params.device.trim() === '' || ctx.params.directory.trim() === '') {
    ctx.log.warn('device or directory is not set: nothing of this resource can be mounted');
    return OCF.SUCCESS;
  }
  let cfg: FsConfig;
  try {
    cfg = configOf(ctx, true);
  } catch (e) {
    ctx.log.warn(`stop with an unusable configuration (${(e as Error).message}): nothing of this resource can be mounted`);
    return OCF.SUCCESS;
  }
  return stop(ctx, cfg);
};

// monitor: see monitor.ts. The probe never reports a configuration error (dispatch turns one into 7).
export const monitorAction = async (ctx: Ctx): Promise<OcfExitCode> => monitor(ctx, configOf(ctx));

// validate-all: syntax and the clone guard (in validate); notes a filesystem type the kernel does not have yet.
export const validateAll = async (ctx: Ctx): Promise<OcfExitCode> => {
  const cfg = configOf(ctx);
  if (cfg.fstype && cfg.fstype !== 'none') {
    let text = '';
    try { text = readFileSync('/proc/filesystems', 'utf8'); } catch { /* not Linux procfs */ }
    if (!kernelSupports(text, kernelTypeFor(cfg.fstype))) ctx.log.info(`the kernel does not have ${cfg.fstype} support loaded yet (start will modprobe it)`);
  }
  return OCF.SUCCESS;
};
