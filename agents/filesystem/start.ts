import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { GenericError, NotInstalledError, OCF, pollWithin, type AgentContext, type OcfExitCode } from '../../src/ocf/index';
import type { FsConfig } from './config';
import { bindRemountOptions, udevLinkFor } from './device-spec';
import { fsckWanted, kernelSupports, kernelTypeFor } from './fstypes';
import { blockDeviceOf, findProgram, isDirectory } from './host';
import { mountsBelow } from './parse-mountinfo';
import { describeMount, isOurMount, readState, resolveTag } from './state';

type Ctx = AgentContext<unknown>;

// The fstype support check: /proc/filesystems first (no modprobe when the kernel has it), then modprobe and a
// few seconds for the module to register.
const ensureFstype = async (ctx: Ctx, cfg: FsConfig): Promise<void> => {
  if (cfg.fstype === '' || cfg.fstype === 'none') return;
  const kt = kernelTypeFor(cfg.fstype);
  const has = () => { try { return kernelSupports(readFileSync('/proc/filesystems', 'utf8'), kt); } catch { return false; } };
  if (has()) return;
  const modprobe = findProgram('modprobe', ctx.env);
  if (!modprobe) throw new NotInstalledError(`filesystem ${kt} is not in /proc/filesystems and modprobe is not installed`);
  const r = await ctx.exec.run(modprobe, ['--', kt], { timeoutMs: 30_000 });
  if (r.code !== 0) throw new NotInstalledError(`filesystem ${kt} is not in /proc/filesystems and modprobe ${kt} failed`);
  const ok = await pollWithin(ctx.budget, async () => (has() ? true : undefined), { intervalMs: 200, limitMs: 5000 });
  if (!ok) throw new NotInstalledError(`filesystem ${kt} is still not in /proc/filesystems after modprobe`);
};

// The block device, waiting within the budget for a late node (udevadm settle when there is udev, else polling).
const waitForDevice = async (ctx: Ctx, cfg: FsConfig): Promise<string> => {
  const find = async () => {
    const dev = await resolveTag(ctx, cfg);
    if (dev === '/dev/null') return dev;
    return dev !== undefined && blockDeviceOf(dev) ? dev : undefined;
  };
  const first = await find();
  if (first) return first;
  const wanted = cfg.device.kind === 'path' ? cfg.device.path : udevLinkFor(cfg.device) ?? cfg.source;
  // Only device nodes (made by udev under /dev) can be late; any other path is simply missing.
  if (!wanted.startsWith('/dev/')) throw new NotInstalledError(`couldn't find device ${cfg.source}; expected ${wanted} to exist`);
  const udevadm = findProgram('udevadm', ctx.env);
  if (udevadm && isDirectory('/run/udev')) {
    ctx.log.info(`waiting for udev to create ${wanted}`);
    const secs = Math.max(1, Math.floor(ctx.budget.remaining() / 2000));
    await ctx.exec.run(udevadm, ['settle', `--timeout=${secs}`, `--exit-if-exists=${wanted}`]);
  } else {
    ctx.log.info(`waiting for ${wanted} to appear`);
  }
  const late = await pollWithin(ctx.budget, find, { intervalMs: 250, limitMs: Math.min(3000, Math.floor(ctx.budget.remaining() / 4)) });
  if (late) return late;
  throw new NotInstalledError(`couldn't find device ${cfg.source}; expected ${wanted} to exist`);
};

// fsck -p before mounting, as run_fsck and the type say; rc >= 4 means the filesystem cannot be repaired.
const runFsck = async (ctx: Ctx, cfg: FsConfig, dev: string): Promise<void> => {
  if (!fsckWanted(cfg.runFsck, cfg.fstype)) return;
  const fsck = findProgram('fsck', ctx.env);
  if (!fsck) throw new NotInstalledError('fsck is needed for this filesystem type but is not installed');
  ctx.log.info(`starting filesystem check on ${dev}`);
  const r = await ctx.exec.run(fsck, [...(cfg.fstype ? ['-t', cfg.fstype] : []), '-p', dev]);
  if (r.code >= 4 || r.timedOut) throw new GenericError(`couldn't successfully fsck filesystem on ${dev} (rc=${r.code})`);
};

// start: mounts the filesystem; already mounted = 0; refuses sub-mounts and a different device on the mount point.
export const start = async (ctx: Ctx, cfg: FsConfig): Promise<OcfExitCode> => {
  const st = readState(cfg);
  if (st.fallback) throw new GenericError(`cannot resolve ${cfg.directory} (${st.fallback})`);
  if (st.mount) {
    const ours = await isOurMount(ctx, cfg, st.mount);
    if (ours === true) {
      ctx.log.info(`${st.mountpoint} is already mounted`);
      return OCF.SUCCESS;
    }
    throw new GenericError(`a different device, ${describeMount(st.mount)}, is already mounted on ${st.mountpoint}`);
  }
  const below = mountsBelow(st.entries, st.mountpoint);
  if (below.length > 0) {
    throw new GenericError(`there is one or more mounts below ${st.mountpoint} (${below.map((m) => m.mountPoint).slice(0, 3).join(', ')}); refusing to mount over them`);
  }
  await ensureFstype(ctx, cfg);
  const blockish = !cfg.nonBlockByType && !isDirectory(cfg.source);
  let dev = cfg.source;
  if (blockish) {
    dev = await waitForDevice(ctx, cfg);
    await runFsck(ctx, cfg, dev);
  }
  try {
    mkdirSync(st.mountpoint, { recursive: true });
    if (!statSync(st.mountpoint).isDirectory()) throw new Error('not a directory');
  } catch (e) {
    throw new NotInstalledError(`couldn't create directory ${st.mountpoint} to use as a mount point: ${(e as Error).message}`);
  }
  const mount = findProgram('mount', ctx.env);
  if (!mount) throw new NotInstalledError('mount(8) is not installed');
  const blockdev = blockish && dev !== '/dev/null' ? findProgram('blockdev', ctx.env) : undefined;
  if (blockdev) await ctx.exec.run(blockdev, ['--flushbufs', dev], { timeoutMs: 10_000 });
  const args = [
    ...(cfg.fstype && cfg.fstype !== 'none' ? ['-t', cfg.fstype] : []),
    ...(cfg.options ? ['-o', cfg.options] : []),
    '--source', cfg.source, '--target', st.mountpoint,
  ];
  const r = await ctx.exec.run(mount, args);
  if (r.code !== 0) {
    throw new GenericError(`couldn't mount device ${cfg.source} as ${st.mountpoint}: ${r.timedOut ? 'timed out' : r.stderr.trim().split('\n').pop() ?? `rc=${r.code}`}`);
  }
  const remount = cfg.isBind ? bindRemountOptions(cfg.options) : undefined;
  if (remount) {
    const b = await ctx.exec.run(mount, ['-o', remount, '--target', st.mountpoint]);
    if (b.code !== 0) throw new GenericError(`bind remount of ${st.mountpoint} with ${remount} failed: ${b.stderr.trim()}`);
  }
  const after = readState(cfg);
  if (!after.mount) throw new GenericError(`mount reported success but ${st.mountpoint} is not in the mount table`);
  ctx.log.info(`mounted ${cfg.source} on ${st.mountpoint}`);
  return OCF.SUCCESS;
};
