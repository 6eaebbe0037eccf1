import { internalBinding } from './internal-binding';
import { errName } from './stream-read';

// Runs a program to completion through Node's spawn_sync binding: the same C++ runner child_process.spawnSync
// uses, without loading child_process, which pulls in net, dgram and the stream modules (measured per agent call:
// ~4 ms and ~3 MiB; docs/figures.md). The binding is internal, so the runtime the build pins is checked by a
// test, and other runtimes or a missing binding fall back to child_process.spawnSync.

export interface SyncSpawnOptions {
  env: Record<string, string | undefined>;
  input?: string | Buffer; // stdin is /dev/null when absent
  timeoutMs: number; // killed with SIGKILL after this long (0 = no limit)
  maxBuffer: number; // per output stream; over it the child is killed
}

export interface SyncSpawnResult {
  status: number | null; // exit status, null when killed by a signal or not started
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  error: string | undefined; // errno name: ENOENT, EACCES, ETIMEDOUT, ENOBUFS...
}

interface SpawnSyncBinding { spawn(options: object): { status: number | null; signal: string | null; output: (Buffer | null)[] | null; error?: number } }

// The binding's options object has been the same since Node 0.12 (internal-binding.ts: tested majors only).
const binding = (): SpawnSyncBinding | undefined => {
  const b = internalBinding<SpawnSyncBinding>('spawn_sync');
  return typeof b?.spawn === 'function' ? b : undefined;
};

// "K=V" pairs as the spawn bindings take the environment; unset values are left out.
export const envPairs = (env: Record<string, string | undefined>): string[] =>
  Object.entries(env).flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${v}`]));

// The fallback (and the reference the binding path is tested against): child_process.spawnSync.
export const viaChildProcess = (file: string, args: readonly string[], o: SyncSpawnOptions): SyncSpawnResult => {
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const r = spawnSync(file, args as string[], {
    shell: false, env: o.env as NodeJS.ProcessEnv, input: o.input, timeout: o.timeoutMs, killSignal: 'SIGKILL', maxBuffer: o.maxBuffer,
    stdio: [o.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], encoding: 'utf8',
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: (r.error as NodeJS.ErrnoException | undefined)?.code };
};

// Runs file with args (never a shell) and returns its status and output as UTF-8 text.
export const spawnSyncLean = (file: string, args: readonly string[], o: SyncSpawnOptions): SyncSpawnResult => {
  const b = binding();
  if (!b) return viaChildProcess(file, args, o);
  const input = o.input === undefined ? undefined : typeof o.input === 'string' ? Buffer.from(o.input, 'utf8') : o.input;
  const out = { type: 'pipe', readable: false, writable: true };
  const r = b.spawn({
    file, args: [file, ...args], envPairs: envPairs(o.env), detached: false, windowsHide: false, windowsVerbatimArguments: false,
    stdio: [input === undefined ? { type: 'ignore' } : { type: 'pipe', readable: true, writable: false, input }, out, out],
    killSignal: 9, timeout: o.timeoutMs, maxBuffer: o.maxBuffer,
  });
  const text = (i: number) => r.output?.[i]?.toString('utf8') ?? '';
  return {
    status: typeof r.status === 'number' ? r.status : null,
    signal: (r.signal as NodeJS.Signals | null) ?? null,
    stdout: text(1),
    stderr: text(2),
    error: typeof r.error === 'number' && r.error < 0 ? errName(r.error) : undefined,
  };
};

// Starts a child that outlives the caller's wait (stdio on /dev/null, same process group); returns its pid
// (undefined when it could not be started). A failure to start is reported later, through onError. Where the
// process_wrap binding is usable, run.ts starts background programs with spawnDetached (spawn-concurrent.ts)
// instead; this is the fallback on other runtimes.
export const spawnBackground = (file: string, args: readonly string[], env: Record<string, string | undefined>,
  onError: (reason: string) => void): number | undefined => {
  const { spawn } = require('node:child_process') as typeof import('node:child_process');
  const child = spawn(file, args as string[], { shell: false, detached: false, env: env as NodeJS.ProcessEnv, stdio: 'ignore' });
  child.on('error', (e: NodeJS.ErrnoException) => onError(e.message));
  child.unref();
  return child.pid;
};
