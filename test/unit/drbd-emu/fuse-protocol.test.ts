// The FUSE wire format of the emulator's data plane, against the struct layouts of <linux/fuse.h> (7.38).
import { describe, expect, it } from 'vitest';
import {
  decodeInit, decodeName, decodeOpen, decodeRead, decodeSetattr, decodeWrite, encodeAttr, encodeAttrOut, encodeEntryOut,
  encodeInit, encodeOpenOut, encodeReply, encodeStatfs, encodeWriteOut, FATTR_SIZE, FOPEN_DIRECT_IO, IN_HEADER, noReply,
  OP, parseRequest, S_IFREG,
} from '../../../src/drbd-emu/fuse/protocol';

// A request as the kernel writes it: fuse_in_header + body.
const request = (opcode: number, unique: bigint, nodeid: bigint, body: Buffer): Buffer => {
  const h = Buffer.alloc(IN_HEADER);
  h.writeUInt32LE(IN_HEADER + body.length, 0); h.writeUInt32LE(opcode, 4);
  h.writeBigUInt64LE(unique, 8); h.writeBigUInt64LE(nodeid, 16);
  h.writeUInt32LE(0, 24); h.writeUInt32LE(0, 28); h.writeUInt32LE(4242, 32);
  return Buffer.concat([h, body]);
};

describe('FUSE requests', () => {
  it('parses the header and cuts the body at len (a read buffer is larger than the request)', () => {
    const raw = Buffer.concat([request(OP.GETATTR, 77n, 2n, Buffer.alloc(16)), Buffer.alloc(100, 0xee)]);
    const q = parseRequest(raw);
    expect(q.h).toEqual({ len: 56, opcode: OP.GETATTR, unique: 77n, nodeid: 2n, uid: 0, gid: 0, pid: 4242 });
    expect(q.body.length).toBe(16);
  });

  it('rejects short or inconsistent requests', () => {
    expect(() => parseRequest(Buffer.alloc(10))).toThrow(/short/);
    const r = request(OP.READ, 1n, 2n, Buffer.alloc(40));
    r.writeUInt32LE(4096, 0);
    expect(() => parseRequest(r)).toThrow(/length 4096/);
  });

  it('decodes INIT, READ, WRITE (data after the 40-byte fuse_write_in), SETATTR, OPEN and LOOKUP names', () => {
    const init = Buffer.alloc(64); init.writeUInt32LE(7, 0); init.writeUInt32LE(45, 4); init.writeUInt32LE(131072, 8); init.writeUInt32LE(0x40000021, 12);
    expect(decodeInit(init)).toEqual({ major: 7, minor: 45, maxReadahead: 131072, flags: 0x40000021 });
    const rd = Buffer.alloc(40); rd.writeBigUInt64LE(9n, 0); rd.writeBigUInt64LE(1n << 33n, 8); rd.writeUInt32LE(4096, 16);
    expect(decodeRead(rd)).toEqual({ fh: 9n, offset: 2 ** 33, size: 4096 });
    const data = Buffer.from('hello, peer');
    const wr = Buffer.alloc(40); wr.writeBigUInt64LE(0n, 0); wr.writeBigUInt64LE(8192n, 8); wr.writeUInt32LE(data.length, 16);
    const w = decodeWrite(Buffer.concat([wr, data]));
    expect([w.offset, w.size, w.data.toString()]).toEqual([8192, data.length, 'hello, peer']);
    const sa = Buffer.alloc(88); sa.writeUInt32LE(FATTR_SIZE, 0); sa.writeBigUInt64LE(123456n, 16);
    expect(decodeSetattr(sa)).toEqual({ valid: FATTR_SIZE, size: 123456 });
    const op = Buffer.alloc(8); op.writeUInt32LE(0o2 | 0o100000, 0);
    expect(decodeOpen(op).flags & 3).toBe(2);
    expect(decodeName(Buffer.from('drbd-r0\0'))).toBe('drbd-r0');
  });

  it('FORGET, BATCH_FORGET and INTERRUPT get no reply', () => {
    expect([OP.FORGET, OP.BATCH_FORGET, OP.INTERRUPT].every(noReply)).toBe(true);
    expect([OP.WRITE, OP.FSYNC, OP.FLUSH, OP.INIT, OP.DESTROY].some(noReply)).toBe(false);
  });
});

describe('FUSE replies', () => {
  it('an error reply is the bare header with -errno; a success carries the payload', () => {
    const e = encodeReply(5n, 38);
    expect([e.length, e.readUInt32LE(0), e.readInt32LE(4), e.readBigUInt64LE(8)]).toEqual([16, 16, -38, 5n]);
    const ok = encodeReply(6n, 0, encodeWriteOut(4096));
    expect([ok.length, ok.readUInt32LE(0), ok.readInt32LE(4), ok.readUInt32LE(16)]).toEqual([24, 24, 0, 4096]);
  });

  it('struct sizes and field offsets follow <linux/fuse.h>', () => {
    const a = encodeAttr({ ino: 2, size: 25124864, mode: S_IFREG | 0o600, nlink: 1 });
    expect(a.length).toBe(88);
    expect([a.readBigUInt64LE(0), a.readBigUInt64LE(8), a.readBigUInt64LE(16), a.readUInt32LE(60), a.readUInt32LE(64), a.readUInt32LE(80)])
      .toEqual([2n, 25124864n, 49072n, 0o100600, 1, 4096]);
    expect(encodeAttrOut({ ino: 1, size: 0, mode: 0o40755, nlink: 2 }).length).toBe(104);
    const ent = encodeEntryOut(2, { ino: 2, size: 10, mode: S_IFREG, nlink: 1 });
    expect([ent.length, ent.readBigUInt64LE(0), ent.readBigUInt64LE(40)]).toEqual([128, 2n, 2n]);
    // cache times: entry_valid, attr_valid (fuse_entry_out), attr_valid (fuse_attr_out); 0 = ask again (a size that changes)
    expect([ent.readBigUInt64LE(16), ent.readBigUInt64LE(24)]).toEqual([3600n, 3600n]);
    expect(encodeEntryOut(2, { ino: 2, size: 10, mode: S_IFREG, nlink: 1 }, 0).readBigUInt64LE(24)).toBe(0n);
    expect([encodeAttrOut({ ino: 2, size: 0, mode: S_IFREG, nlink: 1 }).readBigUInt64LE(0), encodeAttrOut({ ino: 2, size: 0, mode: S_IFREG, nlink: 1 }, 0).readBigUInt64LE(0)]).toEqual([3600n, 0n]);
    const o = encodeOpenOut(0, FOPEN_DIRECT_IO);
    expect([o.length, o.readUInt32LE(8)]).toEqual([16, 1]);
    const i = encodeInit({ minor: 38, maxReadahead: 65536, flags: 0x400020, maxWrite: 131072, maxPages: 32 });
    expect([i.length, i.readUInt32LE(0), i.readUInt32LE(4), i.readUInt32LE(12), i.readUInt32LE(20), i.readUInt16LE(28)]).toEqual([64, 7, 38, 0x400020, 131072, 32]);
    const st = encodeStatfs(8192);
    expect([st.length, st.readBigUInt64LE(0), st.readUInt32LE(40), st.readUInt32LE(44)]).toEqual([80, 2n, 4096, 255]);
  });
});
