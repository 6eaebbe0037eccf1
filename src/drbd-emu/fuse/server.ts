// A minimal FUSE filesystem served in-process over /dev/fuse: one directory holding one file of a fixed size, whose
// reads and writes go to callbacks (the emulated kernel's data plane). Requests are read with async fs.read (libuv's
// thread pool), so the event loop stays free; writes are answered only when their callback resolves.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, read, rmdirSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { runAsync } from '../dataplane';
import {
  decodeInit, decodeName, decodeOpen, decodeRead, decodeSetattr, decodeWrite, encodeAttrOut, encodeEntryOut, encodeInit,
  encodeOpenOut, encodeReply, encodeStatfs, encodeWriteOut, ERRNO, FATTR_SIZE, FOPEN_DIRECT_IO, FUSE_MAJOR, FUSE_MINOR,
  INIT_ASYNC_READ, INIT_BIG_WRITES, INIT_MAX_PAGES, noReply, OP, parseRequest, ROOT_ID, S_IFDIR, S_IFREG, type Attr,
} from './protocol';

export const MAX_WRITE = 128 * 1024;
const FILE_ID = 2;

// What the one file is: its name, size and I/O. Errors are positive errno values (0 = allowed / done). The size may
// change (the data plane shows 0 bytes while not Primary): the kernel is told to ask for it again on every stat.
export interface FuseFile {
  name: string;
  readonly size: number;
  mayOpen(write: boolean): number;
  read(offset: number, length: number): Buffer;
  write(offset: number, data: Buffer): Promise<number>;
  sync(): Promise<number>;
}

// Opens the FUSE device: /dev/fuse, or (a node whose /dev lacks it) a private node for 10:229 next to the mount.
const openFuseDevice = (spare: string): number => {
  try { return openSync('/dev/fuse', 'r+'); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; }
  if (!existsSync(spare)) {
    const r = spawnSyncMknod(spare);
    if (r) throw new Error(`no /dev/fuse and mknod ${spare} failed: ${r}`);
  }
  return openSync(spare, 'r+');
};
const spawnSyncMknod = (path: string): string => {
  const r = spawnSync('mknod', ['-m', '600', path, 'c', '10', '229'], { encoding: 'utf8' });
  return r.status === 0 ? '' : (r.stderr || r.error?.message || 'failed').trim();
};

export class FuseServer {
  private fd = -1;
  private minor = FUSE_MINOR;
  constructor(readonly mountpoint: string, readonly file: FuseFile, readonly log: (m: string) => void) {}

  // Path of the file inside the mount (what the loop device is bound to).
  get path(): string { return `${this.mountpoint}/${this.file.name}`; }

  // Mounts the filesystem at `mountpoint` (created if needed) and starts serving.
  async mount(): Promise<void> {
    mkdirSync(this.mountpoint, { recursive: true });
    this.fd = openFuseDevice(`${dirname(this.mountpoint)}/.fuse-device`);
    const r = await runAsync('mount', ['-i', '-n', '-t', 'fuse', '-o', 'fd=3,rootmode=40000,user_id=0,group_id=0,allow_other', 'hakit-drbd', this.mountpoint], this.fd);
    if (r.code !== 0) { this.close(); throw new Error(`mount -t fuse ${this.mountpoint}: ${r.err || `exit ${r.code}`}`); }
    this.serve(); // reading the device before the mount exists fails (EPERM)
  }

  // Unmounts. Serving goes on until the kernel ends the connection (ENODEV on read): at once when nothing uses the
  // file any more, else (a lazy unmount) when its last user lets go.
  async unmount(): Promise<void> {
    if (this.fd < 0) return;
    const r = await runAsync('umount', ['-n', this.mountpoint]);
    if (r.code !== 0) await runAsync('umount', ['-n', '-l', this.mountpoint]);
    try { rmdirSync(this.mountpoint); } catch { /* busy or gone */ }
  }

  // One read(2) per request, each on its own buffer (a WRITE's data is used after the next read started).
  private serve(): void {
    const buf = Buffer.allocUnsafe(MAX_WRITE + 4096);
    read(this.fd, buf, 0, buf.length, null, (err, n) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EINTR' || code === 'EAGAIN') { this.serve(); return; } // that request was interrupted
        if (code !== 'ENODEV') this.log(`fuse: read: ${err.message}`); // ENODEV: the connection ended (unmounted)
        this.close(); return;
      }
      this.serve();
      this.dispatch(buf.subarray(0, n));
    });
  }

  private close(): void { if (this.fd >= 0) { try { closeSync(this.fd); } catch { /* */ } this.fd = -1; } }

  private attr(id: number): Attr {
    return id === ROOT_ID ? { ino: ROOT_ID, size: 0, mode: S_IFDIR | 0o755, nlink: 2 } : { ino: FILE_ID, size: this.file.size, mode: S_IFREG | 0o600, nlink: 1 };
  }

  private dispatch(raw: Buffer): void {
    let q;
    try { q = parseRequest(raw); } catch (e) { this.log(`fuse: ${(e as Error).message}`); return; }
    const { h, body } = q;
    if (noReply(h.opcode)) return;
    const reply = (errno: number, payload?: Buffer): void => {
      if (this.fd < 0) return;
      try { writeSync(this.fd, encodeReply(h.unique, errno, payload)); } catch { /* interrupted or aborted: nobody waits */ }
    };
    const id = Number(h.nodeid);
    const known = id === ROOT_ID || id === FILE_ID;
    switch (h.opcode) {
      case OP.INIT: {
        const i = decodeInit(body);
        if (i.major !== FUSE_MAJOR) { this.log(`fuse: kernel protocol ${i.major}.${i.minor} unsupported`); reply(ERRNO.EINVAL); return; }
        this.minor = Math.min(i.minor, FUSE_MINOR);
        reply(0, encodeInit({ minor: this.minor, maxReadahead: i.maxReadahead, flags: i.flags & (INIT_ASYNC_READ | INIT_BIG_WRITES | INIT_MAX_PAGES), maxWrite: MAX_WRITE, maxPages: MAX_WRITE / 4096 }));
        return;
      }
      case OP.LOOKUP:
        if (id !== ROOT_ID || decodeName(body) !== this.file.name) { reply(ERRNO.ENOENT); return; }
        reply(0, encodeEntryOut(FILE_ID, this.attr(FILE_ID), 0)); return;
      case OP.GETATTR: reply(known ? 0 : ERRNO.ENOENT, known ? encodeAttrOut(this.attr(id), id === FILE_ID ? 0 : undefined) : undefined); return;
      case OP.SETATTR: {
        const s = decodeSetattr(body);
        if (!known) { reply(ERRNO.ENOENT); return; }
        if (s.valid & FATTR_SIZE && (id !== FILE_ID || s.size !== this.file.size)) { reply(ERRNO.EINVAL); return; } // fixed size
        reply(0, encodeAttrOut(this.attr(id), id === FILE_ID ? 0 : undefined)); return; // mode/owner/times: accepted, not kept
      }
      case OP.OPEN: {
        if (id !== FILE_ID) { reply(ERRNO.EINVAL); return; }
        const e = this.file.mayOpen((decodeOpen(body).flags & 3) !== 0);
        reply(e, e ? undefined : encodeOpenOut(0, FOPEN_DIRECT_IO)); return;
      }
      case OP.READ: {
        const r = decodeRead(body);
        const len = Math.max(0, Math.min(r.size, this.file.size - r.offset));
        try { reply(0, len ? this.file.read(r.offset, len) : Buffer.alloc(0)); } catch { reply(ERRNO.EIO); }
        return;
      }
      case OP.WRITE: {
        const w = decodeWrite(body, this.minor);
        if (w.offset + w.data.length > this.file.size) { reply(ERRNO.ENOSPC); return; }
        void this.file.write(w.offset, w.data).then((e) => reply(e, e ? undefined : encodeWriteOut(w.data.length)), () => reply(ERRNO.EIO));
        return;
      }
      case OP.FSYNC: case OP.FLUSH:
        void this.file.sync().then((e) => reply(e), () => reply(ERRNO.EIO)); return;
      case OP.RELEASE: reply(0); return;
      case OP.STATFS: reply(0, encodeStatfs(this.file.size)); return;
      case OP.DESTROY: reply(0); return;
      default: reply(ERRNO.ENOSYS);
    }
  }
}
