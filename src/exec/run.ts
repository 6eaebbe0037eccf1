import { spawn, spawnSync } from 'node:child_process';
import type { Budget } from '../ocf/budget';
import type { Logger } from '../ocf/log';

// The one place that starts processes: argument arrays only (never a shell), LC_ALL=C, bounded by the action's
// budget, never detached (Pacemaker's SIGKILL of the agent's process group reaps the children too).

export interface RunOptions {
  input?: string | Buffer; // written to stdin; stdin is /dev/null otherwise
  timeoutMs?: number; // further bound; the budget always applies
  env?: Record<string, string | undefined>;
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

const SIGNUM: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
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
    // Synchronous under the hood: an agent runs one command at a time, and spawnSync avoids building stream
    // objects for the pipes (measurably cheaper per call than spawn). The budget bounds it through `timeout`.
    run: async (file, args, opts = {}) => {
      const started = Date.now();
      const limit = Math.max(1, Math.min(opts.timeoutMs ?? Infinity, deps.budget.remaining()));
      const r = spawnSync(file, args as string[], {
        shell: false,
        env: envFor(opts.env),
        input: opts.input,
        stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        timeout: Math.ceil(limit),
        killSignal: 'SIGKILL',
        maxBuffer: MAX_OUTPUT,
        encoding: 'utf8',
      });
      const err = r.error as NodeJS.ErrnoException | undefined;
      const notFound = err?.code === 'ENOENT' || err?.code === 'EACCES';
      const timedOut = err?.code === 'ETIMEDOUT';
      const signal = r.signal;
      const code = notFound ? 127 : r.status ?? (signal ? 128 + (SIGNUM[signal] ?? 0) : 126);
      const res: RunResult = {
        file, args, code, signal, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (err && !notFound && !timedOut ? err.message : ''),
        timedOut, notFound, ms: Date.now() - started,
      };
      deps.log.debug(`${commandLine(file, args)} -> rc=${code}${timedOut ? ' (timed out)' : ''}${notFound ? ' (not found)' : ''}${
        code !== 0 && res.stderr.trim() ? `: ${res.stderr.trim().split('\n').slice(-3).join(' / ')}` : ''}`);
      return res;
    },
    background: (file, args) => {
      deps.log.debug(`${commandLine(file, args)} & (background)`);
      const child = spawn(file, args as string[], { shell: false, detached: false, env: envFor(), stdio: 'ignore' });
      child.on('error', (e) => deps.log.warn(`cannot start ${file}: ${e.message}`));
      child.unref();
      return child.pid;
    },
  };
};
