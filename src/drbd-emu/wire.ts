// Framing of the replication link: [u32 json length][u32 data length][json][data], and a line-JSON control protocol.
import type { Socket } from 'node:net';

export interface Frame { h: Record<string, any>; data?: Buffer }

export const sendFrame = (s: Socket, h: Record<string, unknown>, data?: Buffer): boolean => {
  const j = Buffer.from(JSON.stringify(h));
  const hdr = Buffer.alloc(8);
  hdr.writeUInt32BE(j.length, 0);
  hdr.writeUInt32BE(data ? data.length : 0, 4);
  return s.write(data ? Buffer.concat([hdr, j, data]) : Buffer.concat([hdr, j]));
};

// Calls `on` for every complete frame received on `s`.
export const readFrames = (s: Socket, on: (f: Frame) => void): void => {
  let buf: Buffer = Buffer.alloc(0);
  s.on('data', (chunk: Buffer) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    while (buf.length >= 8) {
      const jl = buf.readUInt32BE(0);
      const dl = buf.readUInt32BE(4);
      if (buf.length < 8 + jl + dl) break;
      const h = JSON.parse(buf.subarray(8, 8 + jl).toString('utf8'));
      const data = dl ? Buffer.from(buf.subarray(8 + jl, 8 + jl + dl)) : undefined;
      buf = buf.subarray(8 + jl + dl);
      on(data ? { h, data } : { h });
    }
  });
};
