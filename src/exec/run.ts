import { spawn } from 'node:child_process';
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
    run: (file, args, opts = {}) =>
      new Promise((resolve) => {
        const started = Date.now();
        const limit = Math.max(1, Math.min(opts.timeoutMs ?? Infinity, deps.budget.remaining()));
        const cmd = commandLine(file, args);
        let out = '';
        let err = '';
        let timedOut = false;
        let settled = false;
        const child = spawn(file, args as string[], {
          shell: false,
          detached: false,
          env: envFor(opts.env),
          stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        });
        const timer = setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, limit);
        child.stdout?.setEncoding('utf8');
        child.stderr?.setEncoding('utf8');
        child.stdout?.on('data', (d: string) => { if (out.length < MAX_OUTPUT) out += d; });
        child.stderr?.on('data', (d: string) => { if (err.length < MAX_OUTPUT) err += d; });
        const finish = (code: number, signal: NodeJS.Signals | null, notFound: boolean) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const r: RunResult = { file, args, code, signal, stdout: out, stderr: err, timedOut, notFound, ms: Date.now() - started };
          const failed = code !== 0;
          const msg = `${cmd} -> rc=${code}${timedOut ? ' (timed out)' : ''}${notFound ? ' (not found)' : ''}${
            failed && err.trim() ? `: ${err.trim().split('\n').slice(-3).join(' / ')}` : ''}`;
          deps.log.debug(msg); // callers decide whether a failure is worth more than a debug line
          resolve(r);
        };
        child.on('error', (e: NodeJS.ErrnoException) => {
          if (e.code === 'ENOENT' || e.code === 'EACCES') finish(127, null, true);
          else { err += e.message; finish(126, null, false); }
        });
        child.on('close', (code, signal) => finish(code ?? 128 + (signal ? SIGNUM[signal] ?? 0 : 0), signal, false));
        if (opts.input !== undefined && child.stdin) {
          child.stdin.on('error', () => { /* the child may exit before reading */ });
          child.stdin.end(opts.input);
        }
      }),
    background: (file, args) => {
      deps.log.debug(`${commandLine(file, args)} & (background)`);
      const child = spawn(file, args as string[], { shell: false, detached: false, env: envFor(), stdio: 'ignore' });
      child.on('error', (e) => deps.log.warn(`cannot start ${file}: ${e.message}`));
      child.unref();
      return child.pid;
    },
  };
};
