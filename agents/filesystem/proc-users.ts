import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { isAtOrBelow, mountHolding, type MountEntry } from './parse-mountinfo';

// One process that keeps a mount busy, and how (cwd, root, exe, fd N, mmap).
export interface MountUser {
  readonly pid: number;
  readonly startTime: string; // /proc/<pid>/stat field 22: tells a recycled pid apart
  readonly comm: string;
  readonly how: readonly string[];
}

// The mount whose users are wanted: its id, the path it is reachable at now, and the whole mount table.
export interface UserQuery {
  readonly target: MountEntry;
  readonly path: string;
  readonly entries: readonly MountEntry[];
  readonly skip: ReadonlySet<number>; // never reported (this agent, its parent, init)
}

const tryReadlink = (p: string): string | undefined => {
  try {
    return readlinkSync(p);
  } catch {
    return undefined;
  }
};
const tryRead = (p: string): string | undefined => {
  try {
    return readFileSync(p, 'latin1');
  } catch {
    return undefined;
  }
};

// A /proc link target as a path, or undefined for sockets, pipes, anon inodes.
const linkPath = (target: string | undefined): string | undefined => {
  if (target === undefined || !target.startsWith('/')) return undefined;
  return target.endsWith(' (deleted)') ? target.slice(0, -' (deleted)'.length) : target;
};

// Whether a path (as this namespace sees it) lies on exactly the target mount: below its path and not on a mount
// stacked on it or below it. The path alone decides, so the filesystem itself is never touched (safe on dead NFS).
export const onTarget = (q: UserQuery, path: string | undefined): boolean => {
  if (path === undefined || !isAtOrBelow(path, q.path)) return false;
  const holder = mountHolding(q.entries, path);
  return holder !== undefined && holder.id === q.target.id;
};

// The process's start time and command name from /proc/<pid>/stat (undefined when it is gone or a zombie).
export const procIdentity = (pid: number): { startTime: string; comm: string } | undefined => {
  const stat = tryRead(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  const close = stat.lastIndexOf(')');
  const rest = stat.slice(close + 2).split(' ');
  if (rest[0] === 'Z' || rest[0] === 'X') return undefined;
  return { startTime: rest[19] ?? '', comm: stat.slice(stat.indexOf('(') + 1, close) };
};

// How one process uses the target mount (empty when it does not).
export const usesOfProcess = (q: UserQuery, pid: number, ownNs: string | undefined): string[] => {
  const base = `/proc/${pid}`;
  const how: string[] = [];
  const sameNs = ownNs !== undefined && tryReadlink(`${base}/ns/mnt`) === ownNs;
  if (sameNs) {
    for (const link of ['cwd', 'root', 'exe']) if (onTarget(q, linkPath(tryReadlink(`${base}/${link}`)))) how.push(link);
  }
  let fds: string[] = [];
  try {
    fds = readdirSync(`${base}/fd`);
  } catch { /* gone, or a kernel thread */ }
  for (const fd of fds) {
    const path = linkPath(tryReadlink(`${base}/fd/${fd}`));
    if (path === undefined) continue;
    if (sameNs) {
      if (onTarget(q, path)) how.push(`fd ${fd}`);
    } else {
      // Another mount namespace: its paths mean something else there; the fd's mount id is exact.
      const info = tryRead(`${base}/fdinfo/${fd}`);
      const m = info === undefined ? null : /^mnt_id:\s*(\d+)/m.exec(info);
      if (m && Number(m[1]) === q.target.id) how.push(`fd ${fd}`);
    }
  }
  if (sameNs) {
    const maps = tryRead(`${base}/maps`);
    const needle = Buffer.from(q.path, 'utf8').toString('latin1'); // maps is read as latin1 (one char per byte)
    if (maps !== undefined && maps.includes(needle)) {
      for (const line of maps.split('\n')) {
        const slash = line.indexOf('/');
        if (slash < 0 || !line.includes(needle)) continue;
        if (onTarget(q, linkPath(Buffer.from(line.slice(slash), 'latin1').toString('utf8')))) {
          how.push('mmap');
          break;
        }
      }
    }
  }
  return how;
};

// Every process that uses exactly the target mount, found by walking /proc (fd, cwd, root, exe, maps); processes in
// other mount namespaces count only through open files whose mount id is the target's.
export const findMountUsers = (q: UserQuery, only?: readonly number[]): MountUser[] => {
  const ownNs = tryReadlink('/proc/self/ns/mnt');
  let pids: number[];
  if (only) pids = [...only];
  else {
    pids = [];
    for (const name of readdirSync('/proc')) if (/^\d+$/.test(name)) pids.push(Number(name));
  }
  const users: MountUser[] = [];
  for (const pid of pids) {
    if (q.skip.has(pid)) continue;
    const how = usesOfProcess(q, pid, ownNs);
    if (how.length === 0) continue;
    const id = procIdentity(pid);
    if (id) users.push({ pid, ...id, how });
  }
  return users;
};
