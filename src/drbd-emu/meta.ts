// Internal meta data in the last bytes of the backing device: geometry, read, write (one JSON superblock).
import { close, closeSync, fstatSync, fsync, openSync, readFileSync, readSync, writeSync, fsyncSync } from 'node:fs';
import { childProcess } from './child';
import { UUID_JUST_CREATED, UUID_ZERO, type Meta } from './types';

export const BLOCK = 4096;
const SB = 4096;
const AL = 32768;

// Size in bytes of a backing file or block device.
export const backingBytes = (path: string): number => {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd, { bigint: true });
    if (st.isBlockDevice()) return sysfsBytes(st.rdev) ?? Number(childProcess().execFileSync('blockdev', ['--getsize64', path], { encoding: 'utf8' }).trim());
    return Number(st.size);
  } finally { closeSync(fd); }
};
// A block device's size from /sys/dev/block/MAJ:MIN/size (512-byte sectors: what BLKGETSIZE64 reports, without
// starting blockdev, which costs milliseconds on every meta data write); undefined when sysfs does not have it.
const sysfsBytes = (rdev: bigint): number | undefined => {
  const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
  const minor = (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
  try { const n = Number(readFileSync(`/sys/dev/block/${major}:${minor}/size`, 'utf8').trim()); return Number.isSafeInteger(n) ? n * 512 : undefined; } catch { return undefined; }
};

// DRBD 8.4-like internal meta data layout: superblock + activity log + bitmap (1 bit per 4 KiB) at the end.
export const geometry = (bytes: number): { usable: number; mdOffset: number; blocks: number } => {
  const bmBytes = Math.ceil(Math.ceil(bytes / BLOCK) / 8 / BLOCK) * BLOCK;
  const usable = Math.floor((bytes - SB - AL - bmBytes) / BLOCK) * BLOCK;
  return { usable, mdOffset: bytes - SB, blocks: usable / BLOCK };
};

// A fresh superblock as create-md writes it.
export const freshMeta = (usable: number): Meta => ({
  magic: 'hakit-drbd-emu-v08',
  uuids: { current: UUID_JUST_CREATED, bitmap: UUID_ZERO, history: [UUID_ZERO, UUID_ZERO] },
  flags: { consistent: false, wasUpToDate: false, outdated: false, primaryInd: false, peerOutdated: false },
  sizeKiB: usable / 1024,
  oos: [],
});

// Reads the superblock; undefined when there is no valid meta data.
export const readMeta = (path: string): Meta | undefined => {
  const bytes = backingBytes(path);
  if (bytes < 1024 * 1024) return undefined;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(SB);
    readSync(fd, buf, 0, SB, geometry(bytes).mdOffset);
    const end = buf.indexOf(0);
    const m = JSON.parse(buf.subarray(0, end < 0 ? SB : end).toString('utf8')) as Meta;
    return m.magic === 'hakit-drbd-emu-v08' ? m : undefined;
  } catch { return undefined; } finally { closeSync(fd); }
};

// Compresses a set of block numbers into [start, count] runs so the superblock stays small.
const toRuns = (oos: Iterable<number>): number[] => {
  const s = [...oos].sort((a, b) => a - b);
  const r: number[] = [];
  for (const b of s) {
    const n = r.length;
    if (n && r[n - 2]! + r[n - 1]! === b) r[n - 1]!++;
    else r.push(b, 1);
  }
  return r;
};
export const fromRuns = (runs: readonly number[]): Set<number> => {
  const s = new Set<number>();
  for (let i = 0; i + 1 < runs.length; i += 2) for (let b = runs[i]!; b < runs[i]! + runs[i + 1]!; b++) s.add(b);
  return s;
};

// Writes the superblock (with the out-of-sync blocks as runs), synchronously to stable storage. `lazy`: written
// (every later reader sees it), with the flush to stable storage running in the background instead (role changes).
export const writeMeta = (path: string, m: Meta, oos?: Iterable<number>, lazy = false): void => {
  const bytes = backingBytes(path);
  const rec = { ...m, oos: oos ? toRuns(oos) : m.oos };
  let text = JSON.stringify(rec);
  if (text.length >= SB) text = JSON.stringify({ ...rec, oos: [0, geometry(bytes).blocks] }); // too fragmented: all
  const buf = Buffer.alloc(SB);
  buf.write(text, 'utf8');
  const fd = openSync(path, 'r+');
  try { writeSync(fd, buf, 0, SB, geometry(bytes).mdOffset); } catch (e) { closeSync(fd); throw e; }
  if (lazy) { fsync(fd, () => close(fd, () => undefined)); return; }
  try { fsyncSync(fd); } finally { closeSync(fd); }
};
