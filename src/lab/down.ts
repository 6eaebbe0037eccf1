import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BRIDGE, labDir, labLayout, labPrefix } from './layout';
import { anyLabNetns, deleteLabNetns, labNetns } from './network';
import { killNode } from './node';
import { run, sleep } from './proc';
import type { Progress } from './progress';
import { readState } from './state';
import { detachEmulatorLoops, diskLoopsUnder, emulatorLoops, orphanLabLoops } from './loops';

// Tearing a lab down, and checking that nothing of it is left on the machine.

export interface Check { what: string; ok: boolean; detail: string; }

const netnsInodes = (): Map<number, string> => {
  const m = new Map<number, string>();
  for (const ns of labNetns()) {
    try { m.set(statSync(`/run/netns/${ns}`).ino, ns); } catch { /* deleted meanwhile */ }
  }
  return m;
};

// Host PIDs of processes living in one of the lab's network namespaces (node processes, inits, the poller).
export const labProcesses = (): number[] => {
  const inodes = netnsInodes();
  if (!inodes.size) return [];
  const pids: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const m = /^net:\[(\d+)\]$/.exec(readlinkSync(`/proc/${e}/ns/net`));
      if (m && inodes.has(Number(m[1]))) pids.push(Number(e));
    } catch { /* gone */ }
  }
  return pids;
};

const loopDevicesUnder = (dir: string): string[] => {
  const nodes = existsSync(join(dir, 'nodes')) ? readdirSync(join(dir, 'nodes')) : [];
  const layout = labLayout(Math.max(nodes.length, 1), dir);
  return [...new Set([...layout.nodes.flatMap((n) => emulatorLoops(n)), ...diskLoopsUnder(dir), ...(labProcesses().length || anyLabNetns() ? [] : orphanLabLoops())])];
};

const mountsUnder = (dir: string): string[] =>
  readFileSync('/proc/self/mountinfo', 'utf8').split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((m) => m.startsWith(dir) || m.startsWith(`/run/netns/${labPrefix()}-`));

// What `down` verifies afterwards: no lab processes, namespaces, links, mounts, loop devices, files.
export const leftoverChecks = (dir: string = labDir()): Check[] => {
  const procs = labProcesses();
  const ns = labNetns();
  const links = run('ip', ['-o', 'link', 'show']).stdout.split('\n').filter((l) => new RegExp(`^\\d+: (${labPrefix()}|${BRIDGE})`).test(l));
  const mounts = mountsUnder(dir);
  const loops = loopDevicesUnder(dir);
  return [
    { what: 'processes in lab namespaces', ok: !procs.length, detail: procs.length ? `pids ${procs.join(' ')}` : 'none' },
    { what: `network namespaces ${labPrefix()}-*`, ok: !ns.length, detail: ns.length ? ns.join(' ') : 'none' },
    { what: `links ${labPrefix()}* in the host namespace`, ok: !links.length, detail: links.length ? links.join('; ') : 'none' },
    { what: `mounts under ${dir} or /run/netns/${labPrefix()}-*`, ok: !mounts.length, detail: mounts.length ? mounts.join(' ') : 'none' },
    { what: 'loop devices backed by lab files', ok: !loops.length, detail: loops.length ? loops.join(' ') : 'none' },
    { what: `lab directory ${dir}`, ok: !existsSync(dir), detail: existsSync(dir) ? 'still there' : 'removed' },
  ];
};

// Tears the lab down (works on a half-made lab too) and returns the leftover checks.
export const down = async ({ progress }: { progress?: Progress } = {}): Promise<Check[]> => {
  const dir = labDir();
  const state = readState(dir);
  const nodeDirs = existsSync(join(dir, 'nodes')) ? readdirSync(join(dir, 'nodes')) : [];
  const layout = labLayout(Math.max(nodeDirs.length, state?.nodes ?? 0, 1), dir);
  for (const n of layout.nodes) if (await killNode(n).catch(() => false)) progress?.(`${n.name} powered off`);
  for (let i = 0; i < 20; i++) {
    const pids = labProcesses();
    if (!pids.length) break;
    for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    await sleep(100);
  }
  for (const n of layout.nodes) detachEmulatorLoops(n);
  for (const l of diskLoopsUnder(dir)) run('losetup', ['-d', l]);
  await sleep(50);
  const errs = deleteLabNetns();
  // the emulator's orphan loops can be any lab's: only when no lab at all has namespaces left
  if (!anyLabNetns()) for (const l of orphanLabLoops()) run('losetup', ['-d', l]);
  for (const e of errs) progress?.(e);
  if (state && !state.netnsDirExisted && existsSync('/run/netns') && !readdirSync('/run/netns').length) {
    run('umount', ['/run/netns']);
    run('rmdir', ['/run/netns']);
  }
  for (const m of mountsUnder(dir).reverse()) run('umount', ['-l', m]);
  rmSync(dir, { recursive: true, force: true });
  return leftoverChecks(dir);
};
