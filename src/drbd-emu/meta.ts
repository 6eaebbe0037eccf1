// Internal meta data in the last bytes of the backing device: geometry, read, write (one JSON superblock).
import { closeSync, fstatSync, openSync, readSync, writeSync, fsyncSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { UUID_JUST_CREATED, UUID_ZERO, type Meta } from './types';

export const BLOCK = 4096;
const SB = 4096;
const AL = 32768;

// Size in bytes of a backing file or block device.
export const backingBytes = (path: string): number => {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    if (st.isBlockDevice()) return Number(execFileSync('blockdev', ['--getsize64', path], { encoding: 'utf8' }).trim());
    return st.size;
  } finally { closeSync(fd); }
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

// Writes the superblock (with the out-of-sync blocks as runs), synchronously to stable storage.
export const writeMeta = (path: string, m: Meta, oos?: Iterable<number>): void => {
  const bytes = backingBytes(path);
  const rec = { ...m, oos: oos ? toRuns(oos) : m.oos };
  let text = JSON.stringify(rec);
  if (text.length >= SB) text = JSON.stringify({ ...rec, oos: [0, geometry(bytes).blocks] }); // too fragmented: all
  const buf = Buffer.alloc(SB);
  buf.write(text, 'utf8');
  const fd = openSync(path, 'r+');
  try { writeSync(fd, buf, 0, SB, geometry(bytes).mdOffset); fsyncSync(fd); } finally { closeSync(fd); }
};
