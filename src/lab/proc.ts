import { spawn, spawnSync } from 'node:child_process';

// Process execution for the lab (host side, root): argument arrays only, never a shell.

export interface ProcResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export interface ProcOptions {
  input?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

const LAB_ENV = { LC_ALL: 'C', PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };

// Runs a command to completion; never throws for a non-zero exit (the caller reads `code`).
export const run = (file: string, args: readonly string[], opts: ProcOptions = {}): ProcResult => {
  const t0 = Date.now();
  const r = spawnSync(file, args as string[], {
    input: opts.input,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 60_000,
    env: { ...process.env, ...LAB_ENV, ...opts.env },
    maxBuffer: 64 * 1024 * 1024,
    stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  const code = r.status ?? (r.error ? 127 : 128);
  return { code, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? String(r.error) : ''), ms: Date.now() - t0 };
};

// Runs a command and throws with its stderr when it fails.
export const must = (file: string, args: readonly string[], opts: ProcOptions = {}): string => {
  const r = run(file, args, opts);
  if (r.code !== 0) throw new Error(`${[file, ...args].join(' ')} failed (rc=${r.code}): ${(r.stderr || r.stdout).trim().slice(-600)}`);
  return r.stdout;
};

// Runs a command asynchronously (for work done in parallel on several nodes).
export const runAsync = (file: string, args: readonly string[], opts: ProcOptions = {}): Promise<ProcResult> =>
  new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(file, args as string[], {
      env: { ...process.env, ...LAB_ENV, ...opts.env },
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => { err += d; });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', (e) => { clearTimeout(timer); resolve({ code: 127, stdout: out, stderr: String(e), ms: Date.now() - t0 }); });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      resolve({ code: code ?? (sig ? 128 : 1), stdout: out, stderr: err, ms: Date.now() - t0 });
    });
  });

// Sleeps ms milliseconds.
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// Polls `check` every `everyMs` until it returns a value other than undefined, or throws after `timeoutMs`.
export const waitFor = async <T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs: number, everyMs = 200): Promise<T> => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await sleep(everyMs);
  }
};
