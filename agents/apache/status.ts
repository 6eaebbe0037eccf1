import { readFileSync } from 'node:fs';
import { pollWithin, type Budget } from '../../src/ocf/budget';
import type { Instance } from './config';
import { isAlive, runsProgram } from './procs';

// The master's pid from the pidfile; undefined when missing, empty or garbage (mid-rewrite).
export const readPidFile = (path: string): number | undefined => {
  try {
    const m = /^\s*(\d+)\s*$/.exec(readFileSync(path, 'latin1').slice(0, 64));
    const n = m ? Number(m[1]) : NaN;
    return Number.isSafeInteger(n) && n > 1 ? n : undefined;
  } catch {
    return undefined;
  }
};

// The pid of our running master, or undefined. A pid recycled by another program does not count.
export const runningPid = (inst: Instance): number | undefined => {
  const pid = readPidFile(inst.pidFile);
  return pid !== undefined && isAlive(pid) && runsProgram(pid, inst.httpdReal) ? pid : undefined;
};

// Graceful restart rewrites the pidfile (truncate, then write): recurring monitors retry a missing or empty
// pidfile for up to 5 s (upstream PR #1210), polling every 100 ms; probes and start do not wait.
export const PIDFILE_RETRY_MS = 5000;

// runningPid, retried while the pidfile is missing or empty when `retry` (recurring monitors).
export const runningPidWithRetry = async (inst: Instance, budget: Budget, retry: boolean): Promise<number | undefined> => {
  const now = runningPid(inst);
  if (now !== undefined || !retry || readPidFile(inst.pidFile) !== undefined) return now;
  const found = await pollWithin(budget, async () => {
    if (readPidFile(inst.pidFile) === undefined) return undefined;
    return { pid: runningPid(inst) };
  }, { intervalMs: 100, limitMs: PIDFILE_RETRY_MS });
  return found?.pid;
};
