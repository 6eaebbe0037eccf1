import { internalBinding } from './internal-binding';
import { envPairs, type SyncSpawnOptions, type SyncSpawnResult } from './spawn-sync';
import { errName, onChunks, streamState, type ReadableHandle, type StreamState } from './stream-read';

// Starts a program that runs while this process does something else (the drbd monitor reads the promotion score
// while it reads DRBD's state), through the process_wrap and pipe_wrap bindings that child_process.spawn is built
// on, without loading child_process and the stream modules. Same result as spawnSyncLean, stdin on /dev/null.
// `undefined` instead of a promise: not usable on this runtime (the binding's spawn takes an options object up to
// Node 24 and positional arguments in Node 26; only the majors the tests run are used), so the caller runs it
// synchronously. test/unit/exec/spawn-concurrent.test.ts checks it against spawnSyncLean case by case.

interface ProcessHandle {
  spawn(...a: unknown[]): number;
  kill(signal: number): number;
  close(): void;
  unref(): void;
  pid?: number;
  onexit?: (status: number, signal: string | null) => void;
}

interface Bindings {
  Process: new () => ProcessHandle;
  Pipe: new (type: number) => ReadableHandle;
  SOCKET: number;
  read: StreamState;
  positional: boolean;
}

const SPAWN_FORM: Readonly<Record<string, 'options' | 'positional'>> = { 20: 'options', 26: 'positional' };

const bindings = (): Bindings | undefined => {
  const form = SPAWN_FORM[process.versions.node.split('.')[0] ?? ''];
  if (!form) return undefined;
  const p = internalBinding<Record<string, any>>('process_wrap');
  const w = internalBinding<Record<string, any>>('pipe_wrap');
  const read = streamState();
  if (typeof p?.Process !== 'function' || typeof w?.Pipe !== 'function' || typeof w.constants?.SOCKET !== 'number' || !read) return undefined;
  return { Process: p.Process, Pipe: w.Pipe, SOCKET: w.constants.SOCKET, read, positional: form === 'positional' };
};

const SIGKILL = 9;

// The binding's spawn in this runtime's form (argv[0] is the file; no cwd, uid or gid change; not detached).
const start = (b: Bindings, proc: ProcessHandle, file: string, args: readonly string[], env: Record<string, string | undefined>,
  stdio: readonly object[]): number => {
  const argv = [file, ...args];
  const envp = envPairs(env);
  return b.positional
    ? proc.spawn(file, argv, undefined, envp, stdio, 0, undefined, undefined)
    : proc.spawn({ file, args: argv, envPairs: envp, stdio, detached: false, windowsHide: false, windowsVerbatimArguments: false });
};

// Starts a program this process does not wait for (IPaddr2's background ARP sender), stdio on /dev/null, same
// process group, through the same binding: its pid, or the error name when it could not be started; `undefined`
// where the binding is not usable (the caller uses child_process.spawn). IPaddr2's start then loads neither
// child_process nor the stream modules.
export const spawnDetached = (file: string, args: readonly string[], env: Record<string, string | undefined>):
  { pid: number } | { error: string } | undefined => {
  const b = bindings();
  if (!b) return undefined;
  const proc = new b.Process();
  proc.onexit = () => proc.close();
  const rc = start(b, proc, file, args, env, [{ type: 'ignore' }, { type: 'ignore' }, { type: 'ignore' }]);
  if (rc !== 0) {
    proc.close();
    return { error: errName(rc) };
  }
  const pid = proc.pid ?? 0;
  proc.unref();
  return { pid };
};

export const spawnConcurrent = (file: string, args: readonly string[], o: Omit<SyncSpawnOptions, 'input'>): Promise<SyncSpawnResult> | undefined => {
  const b = bindings();
  if (!b) return undefined;
  return new Promise((resolve) => {
    const out: Buffer[][] = [[], []];
    const size = [0, 0];
    let status: number | null = null;
    let signal: NodeJS.Signals | null = null;
    let error: string | undefined;
    let open = 3; // the process and its two pipes
    let exited = false;
    const proc = new b.Process();
    const pipes = [new b.Pipe(b.SOCKET), new b.Pipe(b.SOCKET)];
    // never once it has exited: its pid may be reused, and a closed handle is not to be touched
    const kill = (why: string): void => {
      if (exited) return;
      error ??= why;
      proc.kill(SIGKILL);
    };
    const timer = o.timeoutMs > 0 ? setTimeout(() => kill('ETIMEDOUT'), o.timeoutMs) : undefined;
    const closed = (): void => {
      if (--open > 0) return;
      clearTimeout(timer);
      const text = (i: number) => Buffer.concat(out[i] ?? []).toString('utf8');
      resolve({ status, signal, stdout: text(0), stderr: text(1), error });
    };
    proc.onexit = (code, sig) => {
      exited = true;
      if (sig) signal = sig as NodeJS.Signals;
      else status = code;
      proc.close();
      closed();
    };
    const stdio = [{ type: 'ignore' }, ...pipes.map((handle) => ({ type: 'pipe', readable: false, writable: true, handle }))];
    const rc = start(b, proc, file, args, o.env, stdio);
    if (rc !== 0) {
      clearTimeout(timer);
      for (const h of pipes) h.close();
      proc.close();
      resolve({ status: null, signal: null, stdout: '', stderr: '', error: errName(rc) });
      return;
    }
    pipes.forEach((h, i) => {
      onChunks(h, b.read, (c) => {
        size[i] = (size[i] ?? 0) + c.length;
        if ((size[i] ?? 0) > o.maxBuffer) kill('ENOBUFS');
        else out[i]?.push(c);
      }, () => {
        h.close();
        closed();
      });
      if (h.readStart() !== 0) {
        h.close();
        closed();
      }
    });
  });
};
