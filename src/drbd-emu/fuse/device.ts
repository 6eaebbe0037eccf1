// The emulated kernel's data plane: /dev/drbd<minor> is a loop device over a one-file FUSE filesystem this daemon
// serves. While Primary every write is written locally and sent to the connected peer, and answered only once the
// peer acknowledged it (protocol C); while disconnected it is written locally and its blocks are marked out of sync.
// The device is bound to the FUSE file for the whole attachment; while not Primary that file shows 0 bytes (so does
// the device), refuses new opens and gives no data. A role switch is two ioctls run by the hold process, no rebinding.
import { existsSync, fsyncSync, readSync, writeSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BLOCK } from '../meta';
import { devPath, runDir } from '../paths';
import { holdDevice, loopDetach, makeNode, rebind, runAsync } from '../dataplane';
import { sendFrame } from '../wire';
import { ERRNO } from './protocol';
import { FuseServer } from './server';
import type { Kernel } from '../kernel';

const EMEDIUMTYPE = 124; // what DRBD answers an open of a Secondary's device
export interface Inflight { first: number; last: number; done: () => void; p: Promise<void> }
const LIVE = new Set(['Connected', 'SyncSource', 'SyncTarget', 'PausedSyncS', 'PausedSyncT']);

// Mounts the FUSE filesystem that exposes the backing disk's data area (at attach).
export const startFuse = async (k: Kernel): Promise<void> => {
  const srv = new FuseServer(join(runDir(), `${k.name}.fuse`), {
    name: `drbd-${k.name}`,
    get size() { return k.role === 'Primary' ? k.usable : 0; },
    // open: while Primary, and for our own losetup at attach (the loop driver keeps that one open file)
    mayOpen: () => (k.backing && (k.role === 'Primary' || k.binding) ? 0 : EMEDIUMTYPE),
    read: (off, len) => {
      if (k.role !== 'Primary') throw new Error('not Primary'); // answered EIO
      const b = Buffer.alloc(len); readSync(k.fd(), b, 0, len, off); k.stats.dr += len / 1024; return b;
    },
    write: (off, data) => writeThrough(k, off, data),
    sync: async () => { await waitInflight(k); if (k.backing) fsyncSync(k.fd()); return 0; },
  }, (m) => k.log(m));
  await srv.mount();
  k.fuse = srv;
  k.log(`data plane: FUSE file ${srv.path} (${k.usable} bytes)`);
};
// Unmounts it (at detach and shutdown; the device is no longer bound to it).
export const stopFuse = async (k: Kernel): Promise<void> => { const f = k.fuse; k.fuse = undefined; await f?.unmount(); };

// One write from the device: local disk, then the peer (while connected), acknowledged when both have it.
export const writeThrough = async (k: Kernel, off: number, data: Buffer): Promise<number> => {
  while (k.susp) await new Promise((r) => setTimeout(r, 20)); // I/O suspended while the fence-peer handler runs
  if (k.role !== 'Primary' || !k.backing) return ERRNO.EROFS;
  writeSync(k.fd(), data, 0, data.length, off);
  k.stats.dw += data.length / 1024; k.stats.al++;
  const first = Math.floor(off / BLOCK);
  const last = Math.floor((off + data.length - 1) / BLOCK);
  if (!k.link || !k.peerHello || !LIVE.has(k.cstate) || k.pdsk === 'Diskless') {
    const had = k.oos.size;
    for (let b = first; b <= last; b++) k.oos.add(b);
    if (k.oos.size !== had) { k.saveMeta(); k.publishSoon(); } // on disk before the write completes (DRBD's activity log)
    return 0;
  }
  const id = ++k.writeSeq;
  let done = (): void => undefined;
  const p = new Promise<void>((r) => { done = r; });
  k.inflight.set(id, { first, last, done, p });
  sendFrame(k.link, { t: 'w', id, o: off }, data);
  k.stats.ns += data.length / 1024;
  await p;
  return 0;
};

// Resolves when every write sent so far is acknowledged by the peer (or marked out of sync after a disconnect).
export const waitInflight = async (k: Kernel): Promise<void> => { await Promise.all([...k.inflight.values()].map((w) => w.p)); };

// The peer's acknowledgement of write `id`.
export const onAck = (k: Kernel, id: number): void => { const w = k.inflight.get(id); if (w) { k.inflight.delete(id); w.done(); } };

// The connection is gone: writes not acknowledged may be missing on the peer; they are out of sync, and done.
export const failInflight = (k: Kernel): void => {
  for (const w of k.inflight.values()) { for (let b = w.first; b <= w.last; b++) k.oos.add(b); w.done(); }
  if (k.inflight.size) k.metaDirty = true;
  k.inflight.clear();
};

// A replicated write from the Primary: to the local disk, then the acknowledgement.
export const onPeerWrite = (k: Kernel, h: Record<string, any>, data: Buffer): void => {
  if (k.backing) { writeSync(k.fd(), data, 0, data.length, h.o); k.stats.nr += data.length / 1024; }
  if (k.link) sendFrame(k.link, { t: 'ack', id: h.id });
};

// Lets go of the device (the hold process closes it: pages still cached are written back through the FUSE file now,
// answered by this event loop).
// A held device had autoclear set and has detached itself at the hold's last close: its minor may already be
// someone else's (loop devices are global), so it is forgotten here and never detached or rebound by us again.
export const releaseDevice = async (k: Kernel): Promise<void> => {
  const h = k.hold; k.hold = undefined;
  if (!h) return;
  await h.release();
  k.loop = undefined;
};

// Points the device at the data (attached: the FUSE file, whatever the role) or at the empty read-only placeholder
// (no disk). Runs at new-minor, attach and detach only, never on a role switch. A hold process keeps it open with
// autoclear set (dataplane.ts holdDevice): if this daemon dies, the loop device goes away with its last user instead
// of staying bound to a dead FUSE file (or to the placeholder of a crashed node).
export const bindDevice = async (k: Kernel): Promise<void> => {
  const placeholder = join(runDir(), `${k.name}.empty`);
  const data = !!k.backing && !!k.fuse;
  const before = await letGo(k);
  k.binding = data;
  try { k.loop = await rebind(before, data ? k.fuse!.path : placeholder, !data); } finally { k.binding = false; }
  if (k.loop !== before || !existsSync(devPath(k.minor))) makeNode(devPath(k.minor), k.loop);
  try { k.hold = await holdDevice(k.loop); } catch (e) { k.log(`${(e as Error).message} (the device will outlive a killed kernel)`); }
  if (data) await deviceIoctl(k, 'flush', 'size'); // the size the role allows, read from the file now
};

// Runs ioctls on the device while it is bound to the FUSE file (no-op otherwise): `flush` writes back its dirty
// pages and drops every cached one (BLKFLSBUF), `size` re-reads the FUSE file's size into the loop device
// (LOOP_SET_CAPACITY). Through the hold process: a command on its pipe, not a new process (losetup/blockdev when
// there is no hold). Promotion: flush (pages cached in an earlier Primary period are stale: the peer may have
// written since), then size. Demotion: flush (written back while still Primary), then size (0) after the switch.
export const deviceIoctl = async (k: Kernel, ...ops: Array<'flush' | 'size'>): Promise<void> => {
  const dev = k.loop;
  const file = k.fuse?.path;
  if (!dev || !file || !k.backing) return;
  for (const op of ops) {
    try { if (k.hold) { await k.hold.cmd(op === 'size' ? `size ${file}` : op); continue; } } catch (e) { k.log(`data plane: ${(e as Error).message}`); }
    if (op === 'size') await stat(file).catch(() => undefined); // asynchronous: this event loop answers the GETATTR
    const r = await runAsync(op === 'flush' ? 'blockdev' : 'losetup', op === 'flush' ? ['--flushbufs', dev] : ['--set-capacity', dev]);
    if (r.code !== 0) k.log(`data plane: ${op} on ${dev}: ${r.err || `exit ${r.code}`}`);
  }
};

// Gives the loop device back (daemon shutdown).
export const unbindDevice = async (k: Kernel): Promise<void> => {
  const dev = await letGo(k);
  if (dev) await loopDetach(dev);
};

// Releases the device; returns it if it is still ours to detach or rebind.
const letGo = async (k: Kernel): Promise<string | undefined> => { await releaseDevice(k); return k.loop; };
