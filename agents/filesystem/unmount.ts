import { mkdirSync, rmdirSync } from 'node:fs';
import type { AgentContext } from '../../src/ocf/index';
import type { FsConfig } from './config';
import { findProgram, readMountinfo } from './host';
import type { MountEntry } from './parse-mountinfo';
import { findMountUsers, procIdentity, type MountUser } from './proc-users';
import type { SignalSpec } from './signals';

// What unmounting one mount needs from the invocation.
export interface UnmountDeps {
  readonly ctx: AgentContext<unknown>;
  readonly cfg: FsConfig;
  readonly skip: ReadonlySet<number>;
}

const POLL_MS = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const stillMounted = (id: number): MountEntry | undefined => readMountinfo().find((e) => e.id === id);

// One umount(8) call (-f in the kill phase of a network filesystem); true when the mount is gone afterwards.
const umountOnce = async (
  d: UnmountDeps, umount: string, target: MountEntry, path: string, force: boolean, until: number,
): Promise<boolean> => {
  const r = await d.ctx.exec.run(umount, force ? ['-f', path] : [path], { timeoutMs: Math.max(1000, Math.ceil(until - Date.now())) });
  const gone = stillMounted(target.id) === undefined;
  if (gone) d.ctx.log.info(`unmounted ${path}`);
  else d.ctx.log.debug(`umount ${path}: ${r.stderr.trim() || `rc=${r.code}`}`);
  return gone;
};

// Sends one signal to the users that are still the same processes (a recycled pid is left alone).
const signalUsers = (d: UnmountDeps, users: readonly MountUser[], sig: SignalSpec): void => {
  for (const u of users) {
    const now = procIdentity(u.pid);
    if (!now || now.startTime !== u.startTime) continue;
    d.ctx.log.info(`sending ${sig.name} to ${u.pid} (${u.comm}: ${u.how.join(', ')})`);
    try {
      process.kill(u.pid, sig.num);
    } catch (e) {
      d.ctx.log.debug(`kill ${u.pid}: ${(e as Error).message}`);
    }
  }
};

// Moves a busy mount out of reach (force_unmount=move) so no new user can find it; its new path, or undefined.
const moveAside = async (d: UnmountDeps, path: string): Promise<string | undefined> => {
  const mount = findProgram('mount', d.ctx.env);
  const dir = `${d.ctx.env.HA_RSCTMP || '/run/resource-agents'}/hakit-Filesystem-move.${process.pid}.${Date.now()}`;
  if (!mount) return undefined;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    d.ctx.log.warn(`force_unmount=move: cannot create ${dir}: ${(e as Error).message}`);
    return undefined;
  }
  const r = await d.ctx.exec.run(mount, ['--move', path, dir]);
  if (r.code === 0) {
    d.ctx.log.info(`moved ${path} to ${dir} before signalling its users`);
    return dir;
  }
  d.ctx.log.warn(`force_unmount=move: mount --move ${path} failed (${r.stderr.trim()}); unmounting in place`);
  try { rmdirSync(dir); } catch { /* left for the next stop */ }
  return undefined;
};

// Unmounts one mount before `deadline`: a plain umount first; then, while it stays busy, a terminate phase and a
// kill phase (half of the time left each) that signal the processes using exactly this mount and retry.
export const unmountMount = async (d: UnmountDeps, target: MountEntry, deadline: number): Promise<boolean> => {
  const { cfg, ctx } = d;
  let path = target.mountPoint;
  const umount = findProgram('umount', ctx.env);
  if (!umount) {
    ctx.reason('umount(8) is not installed: cannot unmount');
    return stillMounted(target.id) === undefined;
  }
  if (await umountOnce(d, umount, target, path, false, deadline)) return true;
  let moved: string | undefined;
  if (cfg.forceUnmount === 'move') {
    moved = await moveAside(d, path);
    if (moved) path = moved;
  }
  try {
    const start = Date.now();
    const phases = [
      { signals: cfg.termSignals, until: start + (deadline - start) / 2, force: false },
      { signals: cfg.killSignals, until: deadline, force: cfg.isNetwork },
    ];
    for (const phase of phases) {
      while (Date.now() < phase.until) {
        if (cfg.forceUnmount === 'false') {
          await sleep(Math.min(Math.max(POLL_MS, cfg.signalDelayMs), phase.until - Date.now()));
        } else {
          for (const sig of phase.signals) {
            const entries = readMountinfo();
            if (!entries.some((e) => e.id === target.id)) return true;
            const users = findMountUsers({ target, path, entries, skip: d.skip });
            if (users.length === 0) {
              ctx.log.info(`${path} is busy but no process uses it; retrying`);
              await sleep(Math.min(Math.max(POLL_MS, Math.min(200, cfg.signalDelayMs)), phase.until - Date.now()));
              break;
            }
            signalUsers(d, users, sig);
            // Wait for them to go, at most signal_delay (at least one poll); move on as soon as they are gone.
            const waitUntil = Math.min(Date.now() + Math.max(POLL_MS, cfg.signalDelayMs), phase.until);
            const pids = users.map((u) => u.pid);
            while (Date.now() < waitUntil) {
              await sleep(Math.min(POLL_MS, waitUntil - Date.now()));
              if (findMountUsers({ target, path, entries, skip: d.skip }, pids).length === 0) break;
            }
          }
        }
        if (await umountOnce(d, umount, target, path, phase.force, deadline)) return true;
      }
    }
    return stillMounted(target.id) === undefined;
  } finally {
    if (moved && stillMounted(target.id) === undefined) {
      try { rmdirSync(moved); } catch { /* best effort */ }
    }
  }
};
