import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { must } from './proc';
import { nodeRun } from './node';
import type { LabLayout, LabNode } from './layout';

// The DRBD emulator's side of the lab: a block device per node (a loop device over a sparse file, seen inside
// the node as /dev/hkl-disk), the resource file, and the first-time set-up (metadata, no initial sync, ext4,
// the page) before Pacemaker takes over.

export const LAB_DISK = '/dev/hkl-disk';
export const DISK_MIB = 64;
export const DRBD_DEVICE = '/dev/drbd0';
// The node's local, unreplicated disk (ext4 with the page): what the Filesystem mounts when ocf:pacemaker:Stateful
// stands in for DRBD (lab failover --compare-drbd stateful).
export const LOCAL_DISK = '/dev/hkl-local';
const LOCAL_MIB = 16;

// Creates the node's backing file and attaches a loop device to it; returns /dev/loopN (the init makes /dev/hkl-disk).
export const attachNodeDisk = (node: LabNode): string => {
  const img = join(node.dir, 'disk.img');
  must('truncate', ['-s', `${DISK_MIB}M`, img]);
  const dev = must('losetup', ['--find', '--show', img]).trim();
  must('blockdev', ['--setrw', dev]); // a loop device's read-only flag survives detach: a previous user may have set it
  writeFileSync(join(node.dir, 'disk.loop'), `${/loop(\d+)$/.exec(dev)?.[1] ?? ''}\n`);
  return dev;
};

// Creates the node's local disk: an ext4 image holding the page (mkfs -d, nothing mounted on the host) on a loop
// device (the init makes /dev/hkl-local); returns /dev/loopN.
export const attachLocalDisk = (node: LabNode, page: string): string => {
  const img = join(node.dir, 'local.img');
  const content = mkdtempSync(join(node.dir, 'local-content-'));
  try {
    writeFileSync(join(content, 'index.html'), page);
    must('truncate', ['-s', `${LOCAL_MIB}M`, img]);
    must('mkfs.ext4', ['-q', '-F', '-d', content, img]);
  } finally {
    rmSync(content, { recursive: true, force: true });
  }
  const dev = must('losetup', ['--find', '--show', img]).trim();
  must('blockdev', ['--setrw', dev]);
  writeFileSync(join(node.dir, 'local.loop'), `${/loop(\d+)$/.exec(dev)?.[1] ?? ''}\n`);
  return dev;
};

// The lab's DRBD configuration: the resource rendered for DRBD 8.4 (the emulator is DRBD 8.4, driven by the real
// drbdadm-84), without its fencing policy and handlers (there is no fencing device: the `disk` section holds only
// the fencing policy), and with the automatic split-brain recovery policies below.
// With no fencing, a node that comes back after a crash or a cut may find both sides changed (split brain); DRBD's
// automatic recovery policies resolve it in favour of the Primary (the node that took over).
export const AFTER_SB = 'after-sb-0pri discard-zero-changes; after-sb-1pri discard-secondary; after-sb-2pri disconnect;';
export const labDrbdConf = (rendered84: string): string =>
  rendered84.replace(/\n\s*(disk|handlers)\s*\{[^}]*\}/g, '')
    .replace(/(\n(\s*)net\s*\{)/, `$1\n$2\t${AFTER_SB.split('; ').join(`;\n$2\t`)}`);

// Writes the resource file (and the host's global_common.conf) into every node's /etc/drbd.d.
export const writeDrbdConf = (layout: LabLayout, conf: string, resource: string): void => {
  for (const n of layout.nodes) {
    writeFileSync(join(n.dir, 'etc-drbd.d', `${resource}.res`), conf);
    if (existsSync('/etc/drbd.d/global_common.conf')) copyFileSync('/etc/drbd.d/global_common.conf', join(n.dir, 'etc-drbd.d', 'global_common.conf'));
  }
};

const drbd = (layout: LabLayout, node: LabNode, args: string[], input?: string): string => {
  const r = nodeRun(layout, node, args, { timeoutMs: 60_000, ...(input !== undefined ? { input } : {}) });
  if (r.code !== 0) throw new Error(`${node.name}: ${args.join(' ')} failed (rc=${r.code}): ${(r.stderr || r.stdout).trim().slice(-800)}`);
  return r.stdout;
};

// First-time set-up on the two DRBD nodes: create-md, up, skip the initial sync (new, empty devices), make the
// filesystem with the page on it on the first node, then take the resource down again for Pacemaker.
export const initDrbd = (layout: LabLayout, nodes: readonly LabNode[], resource: string, fstype: string, page: string): void => {
  for (const n of nodes) drbd(layout, n, ['drbdadm', '--force', 'create-md', resource], 'yes\nyes\n');
  for (const n of nodes) drbd(layout, n, ['drbdadm', 'up', resource]);
  const [a] = nodes as [LabNode];
  waitConnected(layout, a, resource);
  drbd(layout, a, ['drbdadm', '--', '--clear-bitmap', 'new-current-uuid', resource]);
  drbd(layout, a, ['drbdadm', 'primary', resource]);
  drbd(layout, a, [`mkfs.${fstype}`, ...(fstype.startsWith('ext') ? ['-q', '-F'] : ['-f']), DRBD_DEVICE]);
  drbd(layout, a, ['mkdir', '-p', '/run/hkl-mnt']);
  drbd(layout, a, ['mount', DRBD_DEVICE, '/run/hkl-mnt']);
  drbd(layout, a, ['tee', '/run/hkl-mnt/index.html'], page);
  drbd(layout, a, ['umount', '/run/hkl-mnt']);
  drbd(layout, a, ['drbdadm', 'secondary', resource]);
  for (const n of nodes) drbd(layout, n, ['drbdadm', 'down', resource]);
};

// Waits (bounded) until the resource is connected on `node`.
const waitConnected = (layout: LabLayout, node: LabNode, resource: string): void => {
  const end = Date.now() + 30_000;
  for (;;) {
    const r = nodeRun(layout, node, ['drbdadm', 'cstate', resource]);
    if (r.stdout.trim() === 'Connected') return;
    if (Date.now() > end) throw new Error(`${node.name}: DRBD ${resource} not connected after 30 s (${r.stdout.trim() || r.stderr.trim()})`);
    must('sleep', ['0.1']);
  }
};
