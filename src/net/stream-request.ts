import { internalBinding } from '../exec/internal-binding';
import { errName, onChunks, streamState, UV_EOF, type ReadableHandle, type StreamState } from '../exec/stream-read';

// One request and its reply over a stream socket (write the request, read until the peer closes), through the
// pipe_wrap / tcp_wrap bindings that net.Socket itself is built on, without loading node:net and the stream
// modules (measured: ~4 ms of an emulator call that talks to its kernel, and of an apache monitor's status check;
// docs/figures.md). Used by the DRBD emulator (unix socket) and the apache monitor (TCP, bound to loopback).
// `undefined` instead of a promise means "not usable on this runtime" (internal-binding.ts), or HAKIT_STREAM_WRAP=0:
// the caller then uses node:net. test/unit/net/stream-request.test.ts runs both ways against the same servers.

export type Endpoint =
  | { readonly path: string } // unix socket
  | { readonly ip: string; readonly port: number; readonly localAddress?: string }; // TCP to an IP literal

export type StreamReply =
  | { readonly ok: true; readonly data: Buffer; readonly capped: boolean } // capped: stopped reading at maxBytes
  | { readonly ok: false; readonly code: string; readonly error: string };

export interface StreamRequestOptions {
  readonly timeoutMs: number;
  readonly maxBytes?: number; // stop reading (and answer what came) once this much arrived
}

interface StreamHandle extends ReadableHandle {
  writeUtf8String(req: object, s: string): number;
}
interface PipeHandle extends StreamHandle { connect(req: object, path: string): number }
interface TcpHandle extends StreamHandle {
  bind(ip: string, port: number): number;
  bind6(ip: string, port: number, flags: number): number;
  connect(req: object, ip: string, port: number): number;
  connect6(req: object, ip: string, port: number): number;
}
type ConnectReq = { oncomplete?: (status: number) => void };
interface Bindings {
  Handle: new (type: number) => PipeHandle | TcpHandle;
  ConnectWrap: new () => ConnectReq;
  SOCKET: number;
  WriteWrap: new () => { handle?: StreamHandle; oncomplete?: () => void; async?: boolean };
  read: StreamState;
}

// The bindings for one kind of socket (only that kind's are loaded).
const bindings = (kind: 'pipe' | 'tcp'): Bindings | undefined => {
  if (process.env.HAKIT_STREAM_WRAP === '0') return undefined;
  const w = internalBinding<Record<string, any>>(kind === 'pipe' ? 'pipe_wrap' : 'tcp_wrap');
  const Handle = kind === 'pipe' ? w?.Pipe : w?.TCP;
  const s = internalBinding<Record<string, any>>('stream_wrap');
  const read = streamState();
  if (typeof Handle !== 'function' || typeof s?.WriteWrap !== 'function' || !read) return undefined;
  return { Handle, ConnectWrap: kind === 'pipe' ? w!.PipeConnectWrap : w!.TCPConnectWrap, SOCKET: w!.constants.SOCKET,
    WriteWrap: s.WriteWrap, read };
};

// Sends `text` to the endpoint and resolves with everything the peer sent before closing (or the first maxBytes);
// never rejects. Errors carry the errno name, and a message in node:net's words ("connect ECONNREFUSED ip:port").
export const streamRequest = (to: Endpoint, text: string, o: StreamRequestOptions): Promise<StreamReply> | undefined => {
  const b = bindings('path' in to ? 'pipe' : 'tcp');
  if (!b) return undefined;
  const where = 'path' in to ? to.path : to.ip.includes(':') ? `[${to.ip}]:${to.port}` : `${to.ip}:${to.port}`;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    let h: PipeHandle | TcpHandle;
    const finish = (r: StreamReply): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      h.close();
      resolve(r);
    };
    const fail = (syscall: string, status: number): void => {
      const code = errName(status);
      finish({ ok: false, code, error: `${syscall} ${code} ${where}` });
    };
    const timer = setTimeout(() => finish({ ok: false, code: 'ETIMEDOUT', error: `no answer within ${o.timeoutMs} ms` }), o.timeoutMs);
    const req = new b.ConnectWrap();
    req.oncomplete = (status) => {
      if (status !== 0) { fail('connect', status); return; }
      onChunks(h, b.read, (c) => {
        chunks.push(c);
        size += c.length;
        if (o.maxBytes !== undefined && size >= o.maxBytes) finish({ ok: true, data: Buffer.concat(chunks), capped: true });
      }, (n) => {
        if (n === UV_EOF) finish({ ok: true, data: Buffer.concat(chunks), capped: false });
        // a reset after the peer's answer still counts as the answer (as a client reading to the end would)
        else if (chunks.length && errName(n) === 'ECONNRESET') finish({ ok: true, data: Buffer.concat(chunks), capped: false });
        else fail('read', n);
      });
      const w = new b.WriteWrap();
      w.handle = h;
      w.oncomplete = () => undefined;
      w.async = false;
      const r = h.readStart();
      if (r !== 0) { fail('read', r); return; }
      const wr = h.writeUtf8String(w, text);
      if (wr !== 0) fail('write', wr);
    };
    let rc: number;
    if ('path' in to) {
      const pipe = new b.Handle(b.SOCKET) as PipeHandle;
      h = pipe;
      rc = pipe.connect(req, to.path);
    } else {
      const tcp = new b.Handle(b.SOCKET) as TcpHandle;
      h = tcp;
      const v6 = to.ip.includes(':');
      rc = to.localAddress === undefined ? 0 : v6 ? tcp.bind6(to.localAddress, 0, 0) : tcp.bind(to.localAddress, 0);
      if (rc !== 0) { fail('bind', rc); return; }
      rc = v6 ? tcp.connect6(req, to.ip, to.port) : tcp.connect(req, to.ip, to.port);
    }
    if (rc !== 0) fail('connect', rc);
  });
};

// The emulator's form: the reply as text, undefined on any failure; undefined (not a promise) when not usable.
export const pipeRequest = (path: string, text: string, timeoutMs: number): Promise<string | undefined> | undefined =>
  streamRequest({ path }, text, { timeoutMs })?.then((r) => (r.ok ? r.data.toString('utf8') : undefined));
