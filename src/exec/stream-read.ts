import { getSystemErrorName } from 'node:util';
import { internalBinding } from './internal-binding';

// Reading a stream handle of the pipe_wrap / tcp_wrap bindings as net.Socket does underneath: on each `onread`
// call, stream_wrap's shared state holds the byte count (or a negative libuv error; UV_EOF at the end) and the
// offset of the bytes in the ArrayBuffer passed. Shared by the socket requests (src/net/stream-request.ts) and the
// concurrent spawns (spawn-concurrent.ts).

export interface StreamState {
  readonly state: Int32Array;
  readonly kNread: number;
  readonly kOffset: number;
}

export interface ReadableHandle {
  readStart(): number;
  close(cb?: () => void): void;
  onread?: (ab: ArrayBuffer | undefined) => void;
}

export const UV_EOF = -4095;

// stream_wrap's shared state; undefined when the binding is not usable on this runtime.
export const streamState = (): StreamState | undefined => {
  const s = internalBinding<Record<string, any>>('stream_wrap');
  if (!(s?.streamBaseState instanceof Int32Array)) return undefined;
  return { state: s.streamBaseState, kNread: s.kReadBytesOrError, kOffset: s.kArrayBufferOffset };
};

// Delivers each chunk read from `h`, then the negative status that ended the reading (UV_EOF or an error).
export const onChunks = (h: ReadableHandle, s: StreamState, chunk: (b: Buffer) => void, end: (status: number) => void): void => {
  h.onread = (ab) => {
    const n = s.state[s.kNread] ?? 0;
    if (n > 0 && ab) chunk(Buffer.from(new Uint8Array(ab, s.state[s.kOffset] ?? 0, n)));
    else if (n < 0) end(n);
  };
};

// A libuv status as its errno name (ECONNREFUSED); E<n> when the runtime does not know it.
export const errName = (status: number): string => {
  try {
    return getSystemErrorName(status);
  } catch {
    return `E${-status}`;
  }
};
