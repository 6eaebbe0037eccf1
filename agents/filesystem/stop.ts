import { unlinkSync } from 'node:fs';
import { GenericError, OCF, type AgentContext, type OcfExitCode } from '../../src/ocf/index';
import type { FsConfig } from './config';
import { statusFileFor } from './monitor';
import { isAtOrBelow, mountsBelow, type MountEntry } from './parse-mountinfo';
import { describeMount, isOurMount, readState } from './state';
import { unmountMount } from './unmount';

type Ctx = AgentContext<unknown>;

const FAST_STOP_MS = 6000;

// What has to go, in order: mounts below the mount point (deepest first); then, for a block device, its other
// mounts elsewhere (each after the mounts below it); then the mount point itself.
export const unmountOrder = (entries: readonly MountEntry[], mine: MountEntry, sameDeviceToo: boolean): MountEntry[] => {
  const out: MountEntry[] = [...mountsBelow(entries, mine.mountPoint)];
  if (sameDeviceToo) {
    // (not those below ours, already listed, nor one above ours: unmounting a parent is not ours to do)
    const others = entries.filter((e) => e.id !== mine.id && e.major === mine.major && e.minor === mine.minor &&
      !isAtOrBelow(e.mountPoint, mine.mountPoint) && !isAtOrBelow(mine.mountPoint, e.mountPoint));
    for (const o of others) out.push(...mountsBelow(entries, o.mountPoint), o);
  }
  out.push(mine);
  const seen = new Set<number>();
  return out.filter((e) => (seen.has(e.id) ? false : (seen.add(e.id), true)));
};

// Removes the depth-20 status file (never on network filesystems, where it could hang the stop).
const removeStatusFile = (ctx: Ctx, cfg: FsConfig, mountpoint: string): void => {
  if (cfg.isNetwork) return;
  const file = statusFileFor(ctx, cfg, mountpoint);
  try {
    unlinkSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') ctx.log.warn(`failed to remove status file ${file}: ${code}`);
  }
};

// stop: unmounts everything that keeps the filesystem mounted; 0 when not mounted (also with a missing device);
// 1 only when it is still mounted at the end (or its state cannot be known).
export const stop = async (ctx: Ctx, cfg: FsConfig): Promise<OcfExitCode> => {
  const st = readState(cfg);
  if (st.mountpoint === '/') {
    ctx.log.warn(`directory ${cfg.directory} resolves to /: nothing of ours can be mounted there`);
    return OCF.SUCCESS;
  }
  if (!st.mount) {
    if (st.fallback) throw new GenericError(`cannot resolve ${cfg.directory} (${st.fallback}) and cannot tell whether it is mounted`);
    ctx.log.info(`${st.mountpoint} is not mounted`);
    return OCF.SUCCESS;
  }
  const mine = st.mount;
  const ours = await isOurMount(ctx, cfg, mine);
  if (ours === false) {
    ctx.log.warn(`a different device, ${describeMount(mine)}, is mounted on ${st.mountpoint}; leaving it alone`);
    return OCF.SUCCESS;
  }
  if (!st.fallback) removeStatusFile(ctx, cfg, st.mountpoint);
  const sameDevice = !cfg.isBind && !cfg.nonBlockByType;
  const order = unmountOrder(st.entries, mine, sameDevice);
  const skip = new Set([process.pid, process.ppid, 1]);
  for (const [i, target] of order.entries()) {
    // Each mount still to go gets an equal share of the time left (time one does not use passes on to the next);
    // fast_stop caps a share at 6 s as upstream does.
    const share = ctx.budget.remaining() / (order.length - i);
    const deadline = Date.now() + Math.floor(cfg.fastStop ? Math.min(share, FAST_STOP_MS) : share);
    ctx.log.info(`trying to unmount ${target.mountPoint}`);
    const gone = await unmountMount({ ctx, cfg, skip }, target, deadline);
    if (!gone) {
      ctx.reason(`couldn't unmount ${target.mountPoint}, giving up`);
      return OCF.ERR_GENERIC;
    }
  }
  return OCF.SUCCESS;
};
