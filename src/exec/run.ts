import type { Budget } from '../ocf/budget';
import type { Logger } from '../ocf/log';
import { signalNumbers } from '../sys/os-lazy';
import { spawnConcurrent, spawnDetached } from './spawn-concurrent';
import { spawnBackground, spawnSyncLean } from './spawn-sync';

// The one place that starts processes: argument arrays only (never a shell), LC_ALL=C, bounded by the action's
// budget, never detached (Pacemaker's SIGKILL of the agent's process group reaps the children too).

export interface RunOptions {
  input?: string | Buffer; // written to stdin; stdin is /dev/null otherwise
  timeoutMs?: number; // further bound; the budget always applies
  env?: Record<string, string | undefined>;
  // may run while the caller goes on (the returned promise settles when it ends), where the runtime allows it
  // (spawn-concurrent.ts) and there is no input; otherwise it runs before run() returns, as every other call
  concurrent?: boolean;
}

export interface RunResult {
  readonly file: string;
  readonly args: readonly string[];
  readonly code: number; // exit status; 127 when not found, 128+n when killed by signal n
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly notFound: boolean;
  readonly ms: number;
}

export interface Runner {
  run(file: string, args: readonly string[], opts?: RunOptions): Promise<RunResult>;
  // Starts a child that outlives the action (e.g. background ARP), in the agent's process group, stdio closed.
  // Returns its pid (undefined when it could not be started).
  background(file: string, args: readonly string[]): number | undefined;
}

const MAX_OUTPUT = 16 * 1024 * 1024;

export const commandLine = (file: string, args: readonly string[]): string =>
  [file, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');

export const createRunner = (deps: { budget: Budget; log: Logger; baseEnv?: NodeJS.ProcessEnv }): Runner => {
  const envFor = (extra?: Record<string, string | undefined>) => ({
    ...(deps.baseEnv ?? process.env),
    ...extra,
    LC_ALL: 'C',
  });
  return {
    // Synchronous under the hood unless asked to be concurrent: an agent runs one command at a time, and a
    // synchronous run costs no more (measured A/B against the concurrent form run one after the other). The budget
    // bounds every run through the timeout.
    run: async (file, args, opts = {}) => {
      const started = Date.now();
      const limit = Math.max(1, Math.min(opts.timeoutMs ?? Infinity, deps.budget.remaining()));
      const o = { env: envFor(opts.env), input: opts.input, timeoutMs: Math.ceil(limit), maxBuffer: MAX_OUTPUT };
      const r = (opts.concurrent && opts.input === undefined ? await spawnConcurrent(file, args, o) : undefined) ?? spawnSyncLean(file, args, o);
      const notFound = r.error === 'ENOENT' || r.error === 'EACCES';
      const timedOut = r.error === 'ETIMEDOUT';
      const signal = r.signal;
      const code = notFound ? 127 : r.status ?? (signal ? 128 + (signalNumbers()[signal] ?? 0) : 126);
      const res: RunResult = {
        file, args, code, signal, stdout: r.stdout, stderr: r.stderr + (r.error && !notFound && !timedOut ? `spawnSync ${file} ${r.error}` : ''),
        timedOut, notFound, ms: Date.now() - started,
      };
      deps.log.debug(`${commandLine(file, args)} -> rc=${code}${timedOut ? ' (timed out)' : ''}${notFound ? ' (not found)' : ''}${
        code !== 0 && res.stderr.trim() ? `: ${res.stderr.trim().split('\n').slice(-3).join(' / ')}` : ''}`);
      return res;
    },
    background: (file, args) => {
      deps.log.debug(`${commandLine(file, args)} & (background)`);
      const warn = (why: string) => deps.log.warn(`cannot start ${file}: ${why}`);
      const env = envFor();
      const lean = spawnDetached(file, args, env);
      if (lean === undefined) return spawnBackground(file, args, env, warn);
      if ('error' in lean) {
        warn(lean.error);
        return undefined;
      }
      return lean.pid;
    },
  };
};
