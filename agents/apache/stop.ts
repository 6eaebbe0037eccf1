import { rmSync } from 'node:fs';
import { sleepWithin, type Budget } from '../../src/ocf/budget';
import type { Logger } from '../../src/ocf/log';
import type { Instance } from './config';
import { instanceProcs, isAlive, readProc, runsProgram, signal } from './procs';
import { readPidFile } from './status';

const POLL_MS = 50;

// Waits until none of `pids` is alive, polling every 50 ms, for at most `ms` (and the budget); true when all gone.
const waitGone = async (pids: () => number[], ms: number, budget: Budget): Promise<boolean> => {
  const until = Math.min(Date.now() + ms, budget.deadline);
  for (;;) {
    if (pids().length === 0) return true;
    if (Date.now() >= until || !(await sleepWithin(budget, Math.min(POLL_MS, Math.max(1, until - Date.now()))))) {
      return pids().length === 0;
    }
  }
};

// Stops THIS instance: graceful-stop (WINCH) for up to half the time left, then TERM for half of the rest, then
// KILL of the instance's remaining processes (the pidfile's master, its process group and their descendants).
// Never a pattern kill: another httpd on the same config file is not ours. Returns the pids still alive.
export const stopInstance = async (inst: Instance, budget: Budget, log: Logger): Promise<number[]> => {
  const filePid = readPidFile(inst.pidFile);
  const master = filePid !== undefined && isAlive(filePid) && runsProgram(filePid, inst.httpdReal) ? filePid : undefined;
  const ours = () => instanceProcs(filePid, inst.httpdReal);
  const masterAlive = () => (master !== undefined && isAlive(master) ? [master] : []);
  // A stopped (SIGSTOP) server would never see WINCH or TERM: let it run again first.
  for (const pid of ours()) if (readProc(pid)?.state === 'T') signal(pid, 'SIGCONT');
  if (master !== undefined) {
    log.info(`Attempting graceful stop of apache PID ${master}`);
    signal(master, 'SIGWINCH');
    if (!(await waitGone(masterAlive, budget.remaining() / 2, budget))) {
      log.info(`Killing apache PID ${master} (TERM)`);
      signal(master, 'SIGTERM');
      await waitGone(masterAlive, budget.remaining() / 2, budget);
    }
  } else {
    log.info('httpd is not running');
  }
  let left = ours();
  if (left.length) {
    log.info(`signal SIGKILL sent to apache processes ${left.join(' ')}`);
    for (const pid of left) signal(pid, 'SIGKILL');
    await waitGone(() => left.filter(isAlive), budget.remaining(), budget);
    left = left.filter(isAlive);
  }
  if (!left.length && filePid !== undefined && !isAlive(filePid)) rmSync(inst.pidFile, { force: true });
  return left;
};
