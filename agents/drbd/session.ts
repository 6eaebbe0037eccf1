import { readFileSync } from 'node:fs';
import type { AgentContext } from '../../src/ocf/context';
import { hostname } from '../../src/sys/os-lazy';
import { GenericError, NotInstalledError } from '../../src/ocf/errors';
import type { RunOptions, RunResult } from '../../src/exec/run';
import type { DrbdParams } from './params';
import { parseEvents2 } from './parse-events2';
import { parseProcDrbd, stateFromProc } from './parse-proc-drbd';
import type { Located } from './parse-locate';
import { parseDrbdadmVersion, versionCode } from './parse-tools';
import { assertSafeArgs } from './safety';
import { UNCONFIGURED, type DrbdState } from './state';

export type Ctx = AgentContext<DrbdParams>;

// Per-invocation memo (no module-level state): what one action already learned from slow tools.
export interface Session {
  readonly ctx: Ctx;
  readonly res: string;
  readonly self: string; // this node's name as Pacemaker knows it
  memo: { score?: number | null; located?: Located | null; kernel?: number | null };
}

// Where the kernel reports DRBD (HAKIT_DRBD_PROC_FILE replaces it for tests and the benchmark's stand-ins).
export const procDrbdPath = (ctx: Ctx): string => ctx.env.HAKIT_DRBD_PROC_FILE || '/proc/drbd';

// Time too short for another round of a retry loop (a tool call needs some): loops stop and report then.
export const LOOP_RESERVE_MS = 300;
export const outOfTime = (ctx: Ctx): boolean => ctx.budget.remaining() < LOOP_RESERVE_MS;

// Opens the per-call session.
export const openSession = (ctx: Ctx): Session => ({
  ctx,
  res: ctx.params.drbd_resource,
  self: ctx.meta.onNode || hostname(),
  memo: {},
});

// /proc/drbd, or undefined when the module is not loaded.
export const readProc = (ctx: Ctx): string | undefined => {
  try {
    return readFileSync(procDrbdPath(ctx), 'utf8');
  } catch {
    return undefined;
  }
};

const confArgs = (ctx: Ctx): string[] => (ctx.params.drbdconf ? ['-c', ctx.params.drbdconf] : []);

// drbdadm [-c conf] <args> <res...>: the data-safety guard checks every option and subcommand.
export const drbdadm = (s: Session, args: readonly string[], target: readonly string[] = [s.res], opts?: RunOptions): Promise<RunResult> => {
  assertSafeArgs(args);
  return s.ctx.exec.run('drbdadm', [...confArgs(s.ctx), ...args, ...target], opts);
};

// drbdsetup <args> (guarded like drbdadm).
export const drbdsetup = (s: Session, args: readonly string[], opts?: RunOptions): Promise<RunResult> => {
  assertSafeArgs(args);
  return s.ctx.exec.run('drbdsetup', args, opts);
};

// Logs a failed command the way do_cmd does: command, exit code, output.
export const logFailure = (s: Session, r: RunResult, level: 'info' | 'warn' | 'err' = 'err'): void => {
  const out = `${r.stdout.trim()} ${r.stderr.trim()}`.trim().split('\n').slice(-3).join(' / ');
  s.ctx.log[level](`${s.res}: ${r.file} ${r.args.join(' ')} exited ${r.code}${r.timedOut ? ' (timed out)' : ''}${out ? `: ${out}` : ''}`);
};

// The resource's state: events2 first, /proc/drbd (with drbdadm sh-minor) as fallback; Unconfigured when the
// module is not loaded. Throws NotInstalledError when drbdsetup is missing.
export const readState = async (s: Session): Promise<DrbdState> => {
  const proc = readProc(s.ctx);
  if (proc === undefined) return UNCONFIGURED;
  const r = await drbdsetup(s, ['events2', '--now', s.res]);
  if (r.notFound) throw new NotInstalledError('drbdsetup not found in PATH');
  if (r.timedOut) throw new GenericError(`drbdsetup events2 ${s.res} did not answer in time`);
  if (r.code === 0) return parseEvents2(r.stdout, s.res);
  logFailure(s, r, 'warn');
  const m = await drbdadm(s, ['sh-minor']);
  if (m.timedOut) throw new GenericError(`drbdadm sh-minor ${s.res} did not answer in time`);
  const minors = m.code === 0 ? m.stdout.split(/\s+/).filter((x) => /^\d+$/.test(x)).map(Number) : [];
  return stateFromProc(parseProcDrbd(proc), minors);
};

// The DRBD kernel module version code: /proc/drbd, else `drbdadm --version`, else `modinfo -F version drbd`.
export const moduleVersion = async (s: Session): Promise<number | undefined> => {
  if (s.memo.kernel !== undefined) return s.memo.kernel ?? undefined;
  let code: number | undefined;
  const proc = readProc(s.ctx);
  if (proc !== undefined) code = versionCode(parseProcDrbd(proc).version ?? '');
  if (code === undefined) {
    const r = await s.ctx.exec.run('drbdadm', ['--version']);
    if (!r.notFound) code = parseDrbdadmVersion(r.stdout).kernel;
  }
  if (code === undefined) {
    const r = await s.ctx.exec.run('modinfo', ['-F', 'version', 'drbd']);
    if (r.code === 0) code = versionCode(r.stdout);
  }
  s.memo.kernel = code ?? null;
  return code;
};

// Where Pacemaker runs the clone and which nodes it has promoted (crm_resource --locate, XML), once per call.
export const locate = async (s: Session): Promise<Located | undefined> => {
  if (s.memo.located !== undefined) return s.memo.located ?? undefined;
  const rsc = s.ctx.instance;
  let located: Located | undefined;
  if (rsc) {
    const r = await s.ctx.exec.run('crm_resource', ['--locate', '--resource', rsc, '--output-as=xml']);
    const { parseLocateXml } = await import('./parse-locate');
    located = r.code === 0 ? parseLocateXml(r.stdout) : undefined;
    if (!located) s.ctx.log.warn(`crm_resource --locate ${rsc} gave no usable answer (rc ${r.code})`);
  }
  s.memo.located = located ?? null;
  return located;
};

// The other nodes Pacemaker reports promoted; undefined when Pacemaker could not be asked.
export const promotedPeers = async (s: Session): Promise<string[] | undefined> => {
  const l = await locate(s);
  return l?.promoted.filter((n) => n.toLowerCase() !== s.self.toLowerCase());
};
