import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { basename } from 'node:path';

// The processes of one httpd instance, read from /proc (no ps/pgrep, no host-wide pattern kill).

export interface ProcInfo {
  readonly pid: number;
  readonly state: string; // R S D T Z ...
  readonly ppid: number;
  readonly pgrp: number;
}

// /proc/<pid>/stat fields after the command name; undefined when the process is gone.
export const readProc = (pid: number): ProcInfo | undefined => {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { pid, state: rest[0] ?? '?', ppid: Number(rest[1]), pgrp: Number(rest[2]) };
  } catch {
    return undefined;
  }
};

// The program a process runs (/proc/<pid>/exe), without the " (deleted)" of an upgraded binary.
export const exeOf = (pid: number): string | undefined => {
  try {
    return readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '');
  } catch {
    return undefined;
  }
};

// argv of a process; [] when gone or a kernel thread.
export const argvOf = (pid: number): string[] => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').filter((a, i, all) => a !== '' || i < all.length - 1);
  } catch {
    return [];
  }
};

// Whether pid runs the httpd binary (or we cannot tell): a recycled pid of another program is not our server.
export const runsProgram = (pid: number, httpdReal: string): boolean => {
  const exe = exeOf(pid);
  if (exe === undefined) return true; // no permission to look: trust the pidfile, as upstream does
  return exe === httpdReal || basename(exe) === basename(httpdReal);
};

// A live (not zombie) process.
export const isAlive = (pid: number): boolean => {
  const p = readProc(pid);
  return p !== undefined && p.state !== 'Z' && p.state !== 'X';
};

// Every process in /proc (pid, state, parent, group).
export const allProcs = (): ProcInfo[] => {
  const out: ProcInfo[] = [];
  let names: string[] = [];
  try { names = readdirSync('/proc'); } catch { return out; }
  for (const n of names) {
    if (!/^\d+$/.test(n)) continue;
    const p = readProc(Number(n));
    if (p) out.push(p);
  }
  return out;
};

// This instance's processes: the pidfile's master (alive or not), its process group (httpd setsid()s, so the
// group id is the master's pid; orphaned workers of a killed master keep it) and all their descendants.
// Group members must run the httpd binary, so a recycled pid or group of another program is never ours.
export const instanceProcs = (master: number | undefined, httpdReal: string): number[] => {
  if (master === undefined || master <= 1) return [];
  const procs = allProcs().filter((p) => p.state !== 'Z' && p.pid !== process.pid);
  const mine = new Set<number>();
  for (const p of procs) if ((p.pid === master || p.pgrp === master) && runsProgram(p.pid, httpdReal)) mine.add(p.pid);
  // descendants of our httpd processes (piped loggers, CGIs) may run anything
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs) if (!mine.has(p.pid) && mine.has(p.ppid)) { mine.add(p.pid); grew = true; }
  }
  return [...mine];
};

// Whether any process runs `<httpd> ... -f <configfile>` (read-only: start uses it to tell that httpd died).
export const anyRunsConfig = (httpdReal: string, configfile: string): boolean =>
  allProcs().some((p) => {
    if (p.state === 'Z') return false;
    const argv = argvOf(p.pid);
    const fi = argv.indexOf('-f');
    return fi > 0 && argv[fi + 1] === configfile && basename(argv[0] ?? '') === basename(httpdReal);
  });

// Sends a signal; false when the process is gone.
export const signal = (pid: number, sig: NodeJS.Signals): boolean => {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
};
