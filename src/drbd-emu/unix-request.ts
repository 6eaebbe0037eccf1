// One request and its reply over a unix socket (write a line, read until the server closes) through the pipe_wrap
// binding that net.Socket itself is built on, without loading node:net and the stream modules (measured: ~4 ms of
// every state-changing emulator call, drbdadm primary/secondary). The binding is internal: it is used only on the
// Node majors the tests run, as src/exec/spawn-sync.ts does; `undefined` from pipeRequest means "not available
// here", and the caller uses node:net. test/unit/drbd-emu/unix-request.test.ts runs both ways against one server.

interface PipeHandle {
  connect(req: object, path: string): number;
  readStart(): number;
  writeUtf8String(req: object, s: string): number;
  close(cb?: () => void): void;
  onread?: (ab: ArrayBuffer | undefined) => void;
}
interface Bindings {
  Pipe: new (type: number) => PipeHandle;
  PipeConnectWrap: new () => { oncomplete?: (status: number) => void };
  WriteWrap: new () => { handle?: PipeHandle; oncomplete?: () => void; async?: boolean };
  SOCKET: number;
  state: Int32Array;
  kNread: number;
  kOffset: number;
}

const TESTED_MAJORS = new Set(['20', '22', '24', '26']);
const UV_EOF = -4095;

const bindings = (): Bindings | undefined => {
  if (process.env.HAKIT_PIPE_WRAP === '0' || !TESTED_MAJORS.has(process.versions.node.split('.')[0] ?? '')) return undefined;
  try {
    const binding = (process as unknown as { binding: (n: string) => Record<string, any> }).binding;
    const p = binding('pipe_wrap');
    const s = binding('stream_wrap');
    if (typeof p.Pipe !== 'function' || typeof s.WriteWrap !== 'function' || !(s.streamBaseState instanceof Int32Array)) return undefined;
    return { Pipe: p.Pipe, PipeConnectWrap: p.PipeConnectWrap, WriteWrap: s.WriteWrap, SOCKET: p.constants.SOCKET,
      state: s.streamBaseState, kNread: s.kReadBytesOrError, kOffset: s.kArrayBufferOffset };
  } catch {
    return undefined;
  }
};

// Sends `text` to the socket at `path` and resolves with everything the server sent before closing; undefined when
// it cannot connect, the connection fails or `timeoutMs` passes. Returns undefined (not a promise) when the binding
// is not usable on this runtime.
export const pipeRequest = (path: string, text: string, timeoutMs: number): Promise<string | undefined> | undefined => {
  const b = bindings();
  if (!b) return undefined;
  return new Promise((resolve) => {
    const h = new b.Pipe(b.SOCKET);
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (v: string | undefined): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      h.close();
      resolve(v);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    const req = new b.PipeConnectWrap();
    req.oncomplete = (status) => {
      if (status !== 0) { finish(undefined); return; }
      h.onread = (ab) => {
        const n = b.state[b.kNread] ?? 0;
        if (n > 0 && ab) chunks.push(Buffer.from(new Uint8Array(ab, b.state[b.kOffset] ?? 0, n)));
        else if (n < 0) finish(n === UV_EOF ? Buffer.concat(chunks).toString('utf8') : undefined);
      };
      const w = new b.WriteWrap();
      w.handle = h;
      w.oncomplete = () => undefined;
      w.async = false;
      if (h.readStart() !== 0 || h.writeUtf8String(w, text) !== 0) finish(undefined);
    };
    if (h.connect(req, path) !== 0) finish(undefined);
  });
};
