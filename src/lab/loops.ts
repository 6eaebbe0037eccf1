import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { run } from './proc';
import type { LabNode } from './layout';

// The lab's loop devices: each DRBD node's disk (a loop over <node>/disk.img), and the ones the DRBD emulator
// attaches inside a node (over the node's /dev/hkl-disk, and over placeholders in the node's /run).
// Loop devices are global kernel objects: a crashed node leaves the emulator's attached, so they are found and
// detached here (at restart and at down).

interface Loop { name: string; backFile: string; backIno: number; backDev: string; }

const listLoops = (): Loop[] => {
  const r = run('losetup', ['-J', '-l', '-O', 'NAME,BACK-FILE,BACK-INO,BACK-MAJ:MIN']);
  if (r.code !== 0 || !r.stdout.trim()) return [];
  const j = JSON.parse(r.stdout) as { loopdevices?: Array<Record<string, string | number | null | undefined>> };
  return (j.loopdevices ?? []).map((l) => ({ name: String(l.name), backFile: String(l['back-file'] ?? '').replace(/ \(deleted\)$/, ''),
    backIno: Number(l['back-ino'] ?? -1), backDev: String(l['back-maj:min'] ?? '').trim() }));
};

// Where the node's /dev/hkl-disk device node was ("maj:min ino" of it in the node's /dev), written at power-on.
export const DISK_ID_FILE = 'disk.id';
const diskId = (node: LabNode): string | undefined => {
  try { return readFileSync(join(node.dir, 'log', DISK_ID_FILE), 'utf8').trim() || undefined; } catch { return undefined; }
};

const placeholderInodes = (node: LabNode): Map<number, string> => {
  const m = new Map<number, string>();
  const d = join(node.dir, 'run', 'hakit-drbd');
  if (!existsSync(d)) return m;
  for (const f of readdirSync(d)) {
    try { m.set(statSync(join(d, f)).ino, f); } catch { /* gone */ }
  }
  return m;
};

// The emulator's loop devices of one node (not its disk itself).
export const emulatorLoops = (node: LabNode, all: Loop[] = listLoops()): string[] => {
  const inodes = placeholderInodes(node);
  const out = new Set<string>();
  const id = diskId(node);
  for (const l of all) if (id && basename(l.backFile) === 'hkl-disk' && `${l.backDev} ${l.backIno}` === id) out.add(l.name);
  for (const l of all) if (l.backFile.startsWith('/run/hakit-drbd/') && inodes.get(l.backIno) === basename(l.backFile)) out.add(l.name);
  return [...out];
};

// Detaches the emulator's loop devices left by a node (before it is powered on again, and at down).
export const detachEmulatorLoops = (node: LabNode): string[] => {
  const loops = emulatorLoops(node);
  for (const l of loops) run('losetup', ['-d', l]);
  return loops;
};

// With every node powered off: the emulator loops the lab's nodes can have left, recognised by the paths they
// show from inside a lab node (/hkl-disk: the lab's own device name; /hakit-drbd/*.empty: the placeholder under
// the node's bind-mounted /run).
export const orphanLabLoops = (): string[] =>
  listLoops().filter((l) => l.backFile === '/hkl-disk' || /^\/hakit-drbd\/[^/]+\.empty$/.test(l.backFile)).map((l) => l.name);

// Loop devices whose backing file lives under the lab directory (the nodes' disks).
export const diskLoopsUnder = (dir: string): string[] => listLoops().filter((l) => l.backFile.startsWith(`${dir}/`)).map((l) => l.name);
