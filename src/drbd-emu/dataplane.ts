// The block device side: a loop device over the backing disk's data area, read-only while Secondary,
// change detection (the loop's write counter) and block diffing against the copy the peer is known to hold.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { BLOCK } from './meta';

const sh = (file: string, args: string[]): string => execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

// Binds a free loop device to `file` (optionally limited to `size` bytes) and returns /dev/loopN.
export const loopAttach = (file: string, size?: number, dev?: string): string => {
  const args = size !== undefined ? ['--sizelimit', String(size)] : [];
  if (dev) { sh('losetup', [...args, dev, file]); return dev; }
  return sh('losetup', ['--find', '--show', ...args, file]);
};
// Detaches /dev/loopN, clearing the read-only flag first (it would survive into the next user of the minor).
export const loopDetach = (dev: string): void => {
  try { sh('blockdev', ['--setrw', dev]); } catch { /* gone */ }
  try { sh('losetup', ['-d', dev]); } catch { /* gone */ }
};
export const loopMinor = (dev: string): number => Number(/loop(\d+)$/.exec(dev)?.[1] ?? -1);

// Makes (or replaces) the device node `path` for /dev/loopN.
export const makeNode = (path: string, loopDev: string): void => {
  mkdirSync(dirname(path), { recursive: true });
  rmSync(path, { force: true });
  sh('mknod', ['-m', '660', path, 'b', '7', String(loopMinor(loopDev))]);
};
// Re-binds loop device `dev` to `file` (size-limited); when its minor was taken meanwhile, a fresh one.
export const rebind = (dev: string | undefined, file: string, size?: number): string => {
  if (dev) {
    loopDetach(dev);
    try { return loopAttach(file, size, dev); } catch { /* minor taken by someone else */ }
  }
  return loopAttach(file, size);
};
export const setReadOnly = (dev: string, ro: boolean): void => { sh('blockdev', [ro ? '--setro' : '--setrw', dev]); };
export const dropCaches = (dev: string): void => { try { sh('blockdev', ['--flushbufs', dev]); } catch { /* best effort */ } };

// Sectors written to the loop device so far (/sys/block/loopN/stat field 7).
export const writtenSectors = (dev: string): number => {
  try { return Number(readFileSync(`/sys/block/${dev.replace('/dev/', '')}/stat`, 'utf8').trim().split(/\s+/)[6] ?? 0); } catch { return 0; }
};

// How many holders the device has: a mount (exclusive claim) or open file descriptors of any process.
export const openers = (dev: string, extraPaths: string[]): number => {
  let n = 0;
  try { closeSync(openSync(dev, constants.O_RDONLY | constants.O_EXCL)); } catch (e) { if ((e as NodeJS.ErrnoException).code === 'EBUSY') n++; }
  let rdev = -1;
  try { rdev = statSync(dev).rdev; } catch { return n; }
  const names = new Set([dev, ...extraPaths]);
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    let fds: string[] = [];
    try { fds = readdirSync(`/proc/${pid}/fd`); } catch { continue; }
    for (const fd of fds) {
      try {
        const l = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (!l.startsWith('/dev/')) continue;
        if (names.has(l) || statSync(`/proc/${pid}/fd/${fd}`).rdev === rdev) n++;
      } catch { /* raced */ }
    }
  }
  return n;
};

// Reads `len` bytes at `off` of a file or device.
export const readAt = (path: string, off: number, len: number): Buffer => {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(len);
    let got = 0;
    while (got < len) { const r = readSync(fd, b, got, len - got, off + got); if (r <= 0) break; got += r; }
    return b;
  } finally { closeSync(fd); }
};
export const writeAt = (path: string, off: number, data: Buffer): void => {
  const fd = openSync(path, 'r+');
  try { writeSync(fd, data, 0, data.length, off); } finally { closeSync(fd); }
};

// Blocks whose content differs from the shadow copy; the shadow is updated to the current content.
// Compares 64 KiB stretches first and only looks at 4 KiB blocks inside the ones that differ.
export const diffBlocks = (backing: string, shadow: Buffer): number[] => {
  const cur = readAt(backing, 0, shadow.length);
  const changed: number[] = [];
  const STRETCH = 16 * BLOCK;
  for (let o = 0; o < shadow.length; o += STRETCH) {
    const end = Math.min(o + STRETCH, shadow.length);
    if (cur.compare(shadow, o, end, o, end) === 0) continue;
    for (let b = o; b < end; b += BLOCK) {
      if (cur.compare(shadow, b, b + BLOCK, b, b + BLOCK) !== 0) { changed.push(b / BLOCK); cur.copy(shadow, b, b, b + BLOCK); }
    }
  }
  return changed;
};

export const ensureDir = (d: string): void => { if (!existsSync(d)) mkdirSync(d, { recursive: true, mode: 0o700 }); };
// Writes a file in place (keeps the inode: a bind mount of it stays valid).
export const writeInPlace = (path: string, text: string): void => {
  const fd = openSync(path, existsSync(path) ? 'r+' : 'w');
  try { const b = Buffer.from(text); writeSync(fd, b, 0, b.length, 0); ftruncateSync(fd, b.length); } finally { closeSync(fd); }
};
export { writeFileSync };
