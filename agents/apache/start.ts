import { chownSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { sleepWithin } from '../../src/ocf/budget';
import { ConfigError, GenericError } from '../../src/ocf/errors';
import { OCF, type OcfExitCode } from '../../src/ocf/exit-codes';
import { isDistroDefault, type Instance } from './config';
import { checkInstance, type Ctx, type Verdict } from './monitor';
import { anyRunsConfig } from './procs';
import { readPidFile, runningPid } from './status';
import { stopInstance } from './stop';

// How often start re-checks while httpd comes up: every 10 ms for the first second (a check of a port not yet
// listening is one refused connect), then every 50 ms. The pidfile, a file read, every 2 ms until it appears:
// httpd's first process returns before its daemon has written it.
const startPollMs = (sinceLaunchMs: number): number => (sinceLaunchMs < 1000 ? 10 : 50);
const PIDFILE_POLL_MS = 2;
const PIDFILE_WAIT_MS = 50;

// Splits the options parameter into arguments ("..." and '...' group; no shell, no expansion).
export const splitOptions = (s: string): string[] => {
  const out: string[] = [];
  let cur: string | undefined;
  let q: string | undefined;
  for (const c of s) {
    if (q) {
      if (c === q) q = undefined;
      else cur = (cur ?? '') + c;
    } else if (c === '"' || c === "'") { q = c; cur ??= ''; }
    else if (/\s/.test(c)) { if (cur !== undefined) out.push(cur); cur = undefined; }
    else cur = (cur ?? '') + c;
  }
  if (q) throw new ConfigError('options has an unbalanced quote', 'options');
  if (cur !== undefined) out.push(cur);
  return out;
};

// httpd's own words about a failure: its non-empty stderr lines, joined, bounded.
const httpdMessage = (stderr: string): string =>
  stderr.split('\n').map((l) => l.trim()).filter((l) => l && !/^Syntax OK$/.test(l) && !/AH00558/.test(l)).join(' ').slice(0, 500);

const uidOf = (user: string): number | undefined => {
  try {
    const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.split(':')[0] === user);
    const uid = Number(line?.split(':')[2]);
    return Number.isInteger(uid) ? uid : undefined;
  } catch {
    return undefined;
  }
};

// The directories apache2ctl creates before it starts httpd (run dir; lock dir owned by the run user), and the
// pidfile's directory.
const prepareDirs = (inst: Instance): void => {
  const e = inst.env;
  const mk = (d: string | undefined, owner?: string) => {
    if (!d || !d.startsWith('/') || existsSync(d)) return;
    mkdirSync(d, { recursive: true, mode: 0o755 });
    const uid = owner ? uidOf(owner) : undefined;
    if (uid !== undefined) chownSync(d, uid, -1);
  };
  mk(e.APACHE_RUN_DIR);
  mk(e.APACHE_LOCK_DIR, e.APACHE_RUN_USER);
  mk(dirname(inst.pidFile));
};

// The distribution's config test on a default config: what `apache2ctl configtest` runs (httpd -t), with the
// envvars environment; its own message is the exit reason.
const configTest = async (ctx: Ctx, inst: Instance, pidArgs: string[]): Promise<void> => {
  if (!isDistroDefault(inst.configfile)) return;
  const r = await ctx.exec.run(inst.httpd, ['-t', '-f', inst.configfile, ...pidArgs], { env: inst.env, timeoutMs: 30_000 });
  if (r.code !== 0) throw new ConfigError(`config test failed: ${httpdMessage(r.stderr || r.stdout) || `${inst.httpd} -t exited ${r.code}`}`);
};

// start: already running = 0; config test; httpd -DSTATUS <options> -f <config> [-c PidFile]; then poll the
// monitor every 10 ms (50 ms after the first second) until it passes, within the budget; a failure that leaves
// httpd running stops it again.
export const startInstance = async (ctx: Ctx, inst: Instance): Promise<OcfExitCode> => {
  const running = runningPid(inst);
  if (running !== undefined) {
    ctx.log.info(`httpd already running (pid ${running})`);
    return OCF.SUCCESS;
  }
  const options = splitOptions(ctx.params.options);
  const pidArgs = inst.pidDirective ? ['-c', `PidFile ${inst.pidFile}`] : [];
  prepareDirs(inst);
  await configTest(ctx, inst, pidArgs);
  const r = await ctx.exec.run(inst.httpd, ['-DSTATUS', ...options, '-f', inst.configfile, ...pidArgs], { env: inst.env });
  if (r.code !== 0) {
    const msg = httpdMessage(r.stderr || r.stdout) || `exit code ${r.code}`;
    if (/AH00526|Syntax error/i.test(msg)) throw new ConfigError(`httpd rejects its configuration: ${msg}`);
    throw new GenericError(`httpd failed to start: ${msg}`);
  }
  // Keep a reserve to stop what we started if it never comes up.
  const reserveMs = Math.min(5000, ctx.budget.totalMs * 0.15);
  let last: Verdict = { code: OCF.NOT_RUNNING, reason: 'httpd did not write its pidfile' };
  const launched = Date.now();
  for (;;) {
    last = await checkInstance(ctx, inst, { retryPidfile: false, deadline: ctx.budget.deadline - reserveMs });
    if (last.code === OCF.SUCCESS) return OCF.SUCCESS;
    const waiting = last.code === OCF.NOT_RUNNING || last.refused;
    if (!waiting) break;
    if (last.code === OCF.NOT_RUNNING && Date.now() - launched > 1000 &&
      !anyRunsConfig(inst.httpdReal, inst.configfile)) {
      last = { code: OCF.ERR_GENERIC, reason: `httpd exited right after start; see its ErrorLog (${inst.configfile})` };
      break;
    }
    if (ctx.budget.remaining() <= reserveMs) {
      last = { code: OCF.ERR_GENERIC, reason: `httpd did not come up in time: ${last.reason ?? ''}` };
      break;
    }
    if (last.code === OCF.NOT_RUNNING) {
      // until httpd has written its pidfile, look for the file only (cheap), for up to 50 ms
      const until = Date.now() + PIDFILE_WAIT_MS;
      while (Date.now() < until && readPidFile(inst.pidFile) === undefined) await sleepWithin(ctx.budget, PIDFILE_POLL_MS);
    } else await sleepWithin(ctx.budget, startPollMs(Date.now() - launched));
  }
  ctx.log.err(`start failed: ${last.reason ?? ''}; stopping what was started`);
  await stopInstance(inst, ctx.budget, ctx.log);
  ctx.reason(last.reason ?? 'start failed');
  return last.code === OCF.NOT_RUNNING ? OCF.ERR_GENERIC : last.code;
};
