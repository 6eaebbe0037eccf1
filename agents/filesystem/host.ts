import { accessSync, constants, lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GenericError } from '../../src/ocf/index';
import { parseMountinfo, type MountEntry } from './parse-mountinfo';

// Reads this process's mount table (the namespace Pacemaker runs the agent in); no program is started.
export const readMountinfo = (file = '/proc/self/mountinfo'): MountEntry[] => parseMountinfo(readFileSync(file, 'latin1'));

// The file-system calls canonicalisation needs, replaceable in unit tests (an I/O error cannot be staged on demand).
export interface PathOps {
  realpath(p: string): string;
  lstat(p: string): { isDirectory(): boolean; isSymbolicLink(): boolean };
}
export const realPathOps: PathOps = { realpath: (p) => realpathSync.native(p), lstat: (p) => lstatSync(p) };

// Errors that mean "this path does not lead anywhere", so nothing can be mounted through it.
const UNRESOLVABLE = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG']);

// The mount point as the kernel lists it. `fallback` is set when the directory itself could not be resolved (an I/O
// error on a dying filesystem): the parent was resolved instead, and the caller must not take "not in the mount
// table" for "not mounted" then. Throws when not even that works: a stop must never report success on a guess.
export const canonicalMountpoint = (dir: string, ops: PathOps = realPathOps): { path: string; fallback?: string } => {
  try {
    return { path: ops.realpath(dir) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    if (UNRESOLVABLE.has(code)) return { path: dir };
    try {
      const st = ops.lstat(dir);
      if (st.isDirectory() && !st.isSymbolicLink() && dir !== '/') {
        const parent = ops.realpath(dirname(dir));
        return { path: join(parent, dir.slice(dir.lastIndexOf('/') + 1)), fallback: code };
      }
    } catch { /* reported below */ }
    throw new GenericError(`cannot resolve ${dir} (${code}); its mount state is unknown`);
  }
};

// Major and minor number of a device number (Linux encoding), from a bigint st_rdev.
export const splitDev = (dev: bigint): { major: number; minor: number } => ({
  major: Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn)),
  minor: Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn)),
});

// The block device behind a path (following symlinks), or undefined when it is missing or not a block device.
export const blockDeviceOf = (path: string): { major: number; minor: number; path: string } | undefined => {
  try {
    const st = statSync(path, { bigint: true });
    if (!st.isBlockDevice()) return undefined;
    return { ...splitDev(st.rdev), path: realpathSync.native(path) };
  } catch {
    return undefined;
  }
};

// Whether a path is an existing directory (the bind-mount source test).
export const isDirectory = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

// Whether a path exists at all (a node of any kind).
export const exists = (path: string): boolean => {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
};

const FALLBACK_DIRS = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'];

// Finds a helper program on PATH, then in the system directories (Pacemaker's PATH may be short);
// undefined when it is nowhere: callers decide whether that matters (it never blocks a stop).
export const findProgram = (name: string, env: NodeJS.ProcessEnv): string | undefined => {
  const dirs = [...(env.PATH ?? '').split(':').filter((d) => d.startsWith('/')), ...FALLBACK_DIRS];
  for (const d of dirs) {
    const f = join(d, name);
    try {
      accessSync(f, constants.X_OK);
      if (statSync(f).isFile()) return f;
    } catch { /* next */ }
  }
  return undefined;
};
