import { closeSync, constants, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { ConfigError, OCF, type AgentContext, type OcfExitCode } from '../../src/ocf/index';
import { statusFileName, type FsConfig } from './config';
import { findProgram } from './host';
import { describeMount, isOurMount, readState, resolveTag } from './state';

// The status file this node writes at depth 20.
export const statusFileFor = (ctx: AgentContext<unknown>, cfg: FsConfig, mountpoint: string): string =>
  statusFileName(mountpoint, cfg.statusPrefix, ctx.instance || 'Filesystem', ctx.meta.clone, hostname());

// Depth 10: one direct (uncached) 4 KiB read from the device; a no-op with a warning for non-block filesystems.
const readDevice = async (ctx: AgentContext<unknown>, cfg: FsConfig, source: string): Promise<OcfExitCode> => {
  if (cfg.nonBlockByType) {
    ctx.log.warn(`${cfg.source} is not a block device, monitor 10 is a no-op`);
    return OCF.SUCCESS;
  }
  const dev = (await resolveTag(ctx, cfg)) ?? source;
  const dd = findProgram('dd', ctx.env);
  if (!dd) {
    ctx.reason('dd(1) is not installed: cannot read the device');
    return OCF.ERR_GENERIC;
  }
  const r = await ctx.exec.run(dd, [`if=${dev}`, 'of=/dev/null', 'iflag=direct', 'bs=4k', 'count=1', 'status=none']);
  if (r.code !== 0) {
    ctx.reason(`failed to read device ${dev}: ${r.stderr.trim().split('\n')[0] ?? `rc=${r.code}`}`);
    return OCF.ERR_GENERIC;
  }
  return OCF.SUCCESS;
};

// Depth 20: writes the status file through to the device (O_DSYNC: the call returns once the data is on stable
// storage), 4 KiB in place as upstream's dd pads it (no truncation, so no block reallocation to journal), then
// stats it and reads it back. A read-only or failing filesystem fails here.
const writeStatusFile = (ctx: AgentContext<unknown>, file: string): OcfExitCode => {
  const step = (what: string, fn: () => void): boolean => {
    try {
      fn();
      return true;
    } catch (e) {
      ctx.reason(`${what} status file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return false;
    }
  };
  const content = Buffer.alloc(4096);
  content.write(`${ctx.instance}\n`);
  if (!step('cannot create the directory of the', () => mkdirSync(dirname(file), { recursive: true }))) return OCF.ERR_GENERIC;
  const ok = step('failed to write', () => {
    const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_DSYNC | constants.O_NOFOLLOW, 0o644);
    try {
      if (writeSync(fd, content, 0, content.length, 0) !== content.length) throw new Error('short write');
    } finally {
      closeSync(fd);
    }
  }) && step('cannot stat the', () => { if (!statSync(file).isFile()) throw new Error('not a regular file'); })
    && step('cannot read the', () => { readFileSync(file); });
  return ok ? OCF.SUCCESS : OCF.ERR_GENERIC;
};

// monitor: 0 when our filesystem is mounted on the mount point (and, at depth 10/20, readable/writable),
// 7 when not mounted, 1 when a different device sits there (probe: 7); other depths are 6.
export const monitor = async (ctx: AgentContext<unknown>, cfg: FsConfig): Promise<OcfExitCode> => {
  const supported = [0, 10, 20].includes(ctx.checkLevel);
  if (!supported && !ctx.isProbe) throw new ConfigError(`unsupported monitor level ${ctx.env.OCF_CHECK_LEVEL ?? ctx.checkLevel}`);
  // A probe must tell the truth about "mounted" whatever depth it was handed (a 7 there could mean a double mount).
  const level = supported ? ctx.checkLevel : 0;
  const st = readState(cfg);
  if (st.mountpoint === '/') throw new ConfigError(`directory ${cfg.directory} resolves to /`, 'directory');
  if (!st.mount) {
    if (st.fallback) {
      ctx.reason(`cannot resolve ${cfg.directory} (${st.fallback})`);
      return OCF.ERR_GENERIC;
    }
    return OCF.NOT_RUNNING;
  }
  if (st.fallback) {
    ctx.reason(`${st.mountpoint} is mounted but cannot be accessed (${st.fallback})`);
    return ctx.isProbe ? OCF.SUCCESS : OCF.ERR_GENERIC;
  }
  const ours = await isOurMount(ctx, cfg, st.mount);
  if (ours === false) {
    ctx.reason(`a different device, ${describeMount(st.mount)}, is mounted on ${st.mountpoint}`);
    return ctx.isProbe ? OCF.NOT_RUNNING : OCF.ERR_GENERIC;
  }
  if (ours === undefined) ctx.log.warn(`device ${cfg.source} not found; ${describeMount(st.mount)} is mounted on ${st.mountpoint}`);
  if (level === 10) return readDevice(ctx, cfg, st.mount.source);
  if (level === 20) return writeStatusFile(ctx, statusFileFor(ctx, cfg, st.mountpoint));
  return OCF.SUCCESS;
};
