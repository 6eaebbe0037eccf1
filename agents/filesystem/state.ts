import { statSync } from 'node:fs';
import type { AgentContext } from '../../src/ocf/index';
import type { FsConfig } from './config';
import { udevLinkFor } from './device-spec';
import { blockDeviceOf, canonicalMountpoint, findProgram, readMountinfo, splitDev } from './host';
import { topMountAt, type MountEntry } from './parse-mountinfo';

// What the mount table says about this resource right now.
export interface FsState {
  readonly mountpoint: string; // canonical
  readonly fallback: string | undefined; // set when the directory itself failed to resolve (errno code)
  readonly entries: readonly MountEntry[];
  readonly mount: MountEntry | undefined; // the visible mount on the mount point
}

// Reads the canonical mount point and the mount table (no program is started).
export const readState = (cfg: FsConfig): FsState => {
  const canon = canonicalMountpoint(cfg.directory);
  const entries = readMountinfo();
  return { mountpoint: canon.path, fallback: canon.fallback, entries, mount: topMountAt(entries, canon.path) };
};

// Finds the block device a tag names: the udev link, else blkid(8) (hosts without udev links).
export const resolveTag = async (ctx: AgentContext<unknown>, cfg: FsConfig): Promise<string | undefined> => {
  if (cfg.device.kind === 'path') return cfg.device.path;
  const link = udevLinkFor(cfg.device);
  if (link && blockDeviceOf(link)) return link;
  const blkid = findProgram('blkid', ctx.env);
  if (!blkid) return undefined;
  const r = await ctx.exec.run(blkid, ['-l', '-o', 'device', '-t', cfg.source], { timeoutMs: 10_000 });
  const dev = r.code === 0 ? r.stdout.trim().split('\n')[0] : undefined;
  return dev && dev.startsWith('/') ? dev : undefined;
};

// Whether the mount on the mount point is this resource's device: true, false, or undefined when it cannot be told
// (our device node is missing). Block devices compare device numbers; bind mounts compare the source's st_dev;
// network and virtual filesystems are taken as ours.
export const isOurMount = async (ctx: AgentContext<unknown>, cfg: FsConfig, m: MountEntry): Promise<boolean | undefined> => {
  if (cfg.isBind) {
    if (m.fstype === 'btrfs') return true; // subvolumes carry their own st_dev
    try {
      const d = splitDev(statSync(cfg.source, { bigint: true }).dev);
      return d.major === m.major && d.minor === m.minor;
    } catch {
      return undefined;
    }
  }
  if (cfg.nonBlockByType) return true;
  if (m.source === cfg.source) return true;
  const devPath = await resolveTag(ctx, cfg);
  const ours = devPath === undefined ? undefined : blockDeviceOf(devPath);
  if (!ours) {
    // A directory as device (upstream: not a block device) is a bind-like mount: nothing to compare.
    try { if (statSync(cfg.source).isDirectory()) return true; } catch { /* missing */ }
    return undefined;
  }
  if (ours.major === m.major && ours.minor === m.minor) return true;
  const theirs = blockDeviceOf(m.source);
  if (theirs) return theirs.major === ours.major && theirs.minor === ours.minor;
  return m.source === ours.path;
};

// A short description of a mount for messages.
export const describeMount = (m: MountEntry): string => `${m.source} (${m.fstype})`;
