// The kernel FUSE protocol (7.x, <linux/fuse.h>) as pure encode/decode functions: requests read from /dev/fuse,
// replies written to it. Only what a one-file filesystem needs; little-endian, structs padded to 8 bytes.

export const FUSE_MAJOR = 7;
export const FUSE_MINOR = 38; // what we speak (the kernel speaks down to the lower of both)
export const ROOT_ID = 1;
export const IN_HEADER = 40;
export const OUT_HEADER = 16;

export const OP = {
  LOOKUP: 1, FORGET: 2, GETATTR: 3, SETATTR: 4, OPEN: 14, READ: 15, WRITE: 16, STATFS: 17, RELEASE: 18,
  FSYNC: 20, FLUSH: 25, INIT: 26, INTERRUPT: 36, DESTROY: 38, BATCH_FORGET: 42,
} as const;

export const ERRNO = { ENOENT: 2, EIO: 5, EACCES: 13, EINVAL: 22, EFBIG: 27, ENOSPC: 28, EROFS: 30, ENOSYS: 38 } as const;

// init flags we may accept (FUSE_ASYNC_READ, FUSE_BIG_WRITES, FUSE_MAX_PAGES)
export const INIT_ASYNC_READ = 1 << 0;
export const INIT_BIG_WRITES = 1 << 5;
export const INIT_MAX_PAGES = 1 << 22;
export const FOPEN_DIRECT_IO = 1 << 0;
export const FATTR_SIZE = 1 << 3;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;

export interface InHeader { len: number; opcode: number; unique: bigint; nodeid: bigint; uid: number; gid: number; pid: number }
export interface Request { h: InHeader; body: Buffer }

// Splits one request (exactly what one read(2) of /dev/fuse returned) into its header and body.
export const parseRequest = (buf: Buffer): Request => {
  if (buf.length < IN_HEADER) throw new Error(`short FUSE request (${buf.length} bytes)`);
  const len = buf.readUInt32LE(0);
  if (len < IN_HEADER || len > buf.length) throw new Error(`bad FUSE request length ${len} (read ${buf.length})`);
  const h: InHeader = {
    len, opcode: buf.readUInt32LE(4), unique: buf.readBigUInt64LE(8), nodeid: buf.readBigUInt64LE(16),
    uid: buf.readUInt32LE(24), gid: buf.readUInt32LE(28), pid: buf.readUInt32LE(32),
  };
  return { h, body: buf.subarray(IN_HEADER, len) };
};

export interface InitIn { major: number; minor: number; maxReadahead: number; flags: number }
// fuse_init_in (its first 16 bytes: later fields are extensions we do not use).
export const decodeInit = (b: Buffer): InitIn => ({ major: b.readUInt32LE(0), minor: b.readUInt32LE(4), maxReadahead: b.readUInt32LE(8), flags: b.readUInt32LE(12) });

export interface ReadIn { fh: bigint; offset: number; size: number }
// fuse_read_in
export const decodeRead = (b: Buffer): ReadIn => ({ fh: b.readBigUInt64LE(0), offset: Number(b.readBigUInt64LE(8)), size: b.readUInt32LE(16) });

export interface WriteIn { fh: bigint; offset: number; size: number; data: Buffer }
// fuse_write_in (40 bytes since 7.9) followed by the data.
export const decodeWrite = (b: Buffer, minor = FUSE_MINOR): WriteIn => {
  const hdr = minor < 9 ? 24 : 40;
  const size = b.readUInt32LE(16);
  return { fh: b.readBigUInt64LE(0), offset: Number(b.readBigUInt64LE(8)), size, data: b.subarray(hdr, hdr + size) };
};

export interface SetattrIn { valid: number; size: number }
// fuse_setattr_in: which attributes to set, and the new size.
export const decodeSetattr = (b: Buffer): SetattrIn => ({ valid: b.readUInt32LE(0), size: Number(b.readBigUInt64LE(16)) });

// fuse_open_in: the open(2) flags.
export const decodeOpen = (b: Buffer): { flags: number } => ({ flags: b.readUInt32LE(0) });

// The NUL-terminated name of a LOOKUP.
export const decodeName = (b: Buffer): string => { const z = b.indexOf(0); return b.subarray(0, z < 0 ? b.length : z).toString('utf8'); };

// A reply: fuse_out_header (len, -errno, unique) + payload. `errno` is positive (0 = success).
export const encodeReply = (unique: bigint, errno: number, payload?: Buffer): Buffer => {
  const n = OUT_HEADER + (errno ? 0 : payload?.length ?? 0);
  const b = Buffer.alloc(n);
  b.writeUInt32LE(n, 0);
  b.writeInt32LE(-errno, 4);
  b.writeBigUInt64LE(unique, 8);
  if (!errno && payload) payload.copy(b, OUT_HEADER);
  return b;
};

export interface InitOut { minor: number; maxReadahead: number; flags: number; maxWrite: number; maxPages: number }
// fuse_init_out (64 bytes).
export const encodeInit = (o: InitOut): Buffer => {
  const b = Buffer.alloc(64);
  b.writeUInt32LE(FUSE_MAJOR, 0); b.writeUInt32LE(o.minor, 4); b.writeUInt32LE(o.maxReadahead, 8); b.writeUInt32LE(o.flags, 12);
  b.writeUInt16LE(16, 16); b.writeUInt16LE(12, 18); // max_background, congestion_threshold
  b.writeUInt32LE(o.maxWrite, 20); b.writeUInt32LE(1, 24); // time_gran 1 ns
  b.writeUInt16LE(o.maxPages, 28);
  return b;
};

export interface Attr { ino: number; size: number; mode: number; nlink: number; mtimeSec?: number }
// struct fuse_attr (88 bytes).
export const encodeAttr = (a: Attr): Buffer => {
  const b = Buffer.alloc(88);
  const t = BigInt(a.mtimeSec ?? 0);
  b.writeBigUInt64LE(BigInt(a.ino), 0); b.writeBigUInt64LE(BigInt(a.size), 8); b.writeBigUInt64LE(BigInt(Math.ceil(a.size / 512)), 16);
  b.writeBigUInt64LE(t, 24); b.writeBigUInt64LE(t, 32); b.writeBigUInt64LE(t, 40);
  b.writeUInt32LE(a.mode, 60); b.writeUInt32LE(a.nlink, 64); // uid, gid, rdev 0
  b.writeUInt32LE(4096, 80); // blksize
  return b;
};

const VALID = 3600; // default entry / attribute cache time (s): nothing changes behind the kernel's back
// fuse_attr_out: cache time (`valid` s; 0 = ask again on every stat) + attributes.
export const encodeAttrOut = (a: Attr, valid = VALID): Buffer => {
  const b = Buffer.alloc(16);
  b.writeBigUInt64LE(BigInt(valid), 0);
  return Buffer.concat([b, encodeAttr(a)]);
};
// fuse_entry_out: node id, generation, entry and attribute cache times + attributes.
export const encodeEntryOut = (nodeid: number, a: Attr, attrValid = VALID): Buffer => {
  const b = Buffer.alloc(40);
  b.writeBigUInt64LE(BigInt(nodeid), 0); b.writeBigUInt64LE(1n, 8); b.writeBigUInt64LE(BigInt(VALID), 16); b.writeBigUInt64LE(BigInt(attrValid), 24);
  return Buffer.concat([b, encodeAttr(a)]);
};
// fuse_open_out: file handle and FOPEN_* flags.
export const encodeOpenOut = (fh: number, flags: number): Buffer => {
  const b = Buffer.alloc(16);
  b.writeBigUInt64LE(BigInt(fh), 0); b.writeUInt32LE(flags, 8);
  return b;
};
// fuse_write_out: bytes written.
export const encodeWriteOut = (size: number): Buffer => { const b = Buffer.alloc(8); b.writeUInt32LE(size, 0); return b; };
// fuse_statfs_out (struct fuse_kstatfs, 80 bytes) for a filesystem of `bytes` bytes holding one file.
export const encodeStatfs = (bytes: number): Buffer => {
  const b = Buffer.alloc(80);
  const blocks = BigInt(Math.ceil(bytes / 4096));
  b.writeBigUInt64LE(blocks, 0); b.writeBigUInt64LE(0n, 8); b.writeBigUInt64LE(0n, 16);
  b.writeBigUInt64LE(2n, 24); b.writeBigUInt64LE(0n, 32);
  b.writeUInt32LE(4096, 40); b.writeUInt32LE(255, 44); b.writeUInt32LE(4096, 48);
  return b;
};

// Ops that get no reply (the kernel does not wait for one).
export const noReply = (opcode: number): boolean => opcode === OP.FORGET || opcode === OP.BATCH_FORGET || opcode === OP.INTERRUPT;
