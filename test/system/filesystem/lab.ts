import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { agentPath, upstreamAgentPath } from '../../helpers/dist';
import { runAgentBinary, type AgentRun } from '../../helpers/run-agent';

// Real loop devices, mounts and holder processes for the Filesystem system tests; everything made here is
// recorded and torn down by destroy(), even after a failure. Names carry the "hk-fs-" prefix.
export const AGENTS = { hakit: agentPath('Filesystem'), heartbeat: upstreamAgentPath('heartbeat', 'Filesystem') } as const;
export type Which = keyof typeof AGENTS;

export const sh = (cmd: string, ...args: string[]): string => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: rc=${r.status} ${r.stderr}`);
  return r.stdout;
};
export const trySh = (cmd: string, ...args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });

// Whether a path is a mount point in this namespace (read from mountinfo, \040 decoded).
export const mountedAt = (path: string): string[] =>
  readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' '))
    .filter((f) => (f[4] ?? '').replace(/\\040/g, ' ') === path).map((f) => f[f.indexOf('-') + 2] ?? '');

export interface Lab {
  readonly root: string;
  dir(name: string): string;
  loop(name: string, fstype: 'ext4' | 'xfs' | 'btrfs', sizeMiB?: number): { dev: string; img: string };
  attach(img: string): string; // a loop device for an existing image (recorded for clean-up)
  holder(argv: string[], cwd?: string): ChildProcess;
  destroy(): void;
}

// Creates a lab under /tmp/hk-fs-<tag>-<pid>.
export const createLab = (tag: string): Lab => {
  const root = `/tmp/hk-fs-${tag}-${process.pid}`;
  mkdirSync(root, { recursive: true });
  const loops: string[] = [];
  const kids: ChildProcess[] = [];
  const attach = (img: string) => {
    const dev = sh('losetup', '-f', '--show', img).trim();
    loops.push(dev);
    // A loop device can keep a read-only flag from an earlier user (BLKROSET outlives the attachment).
    if (readFileSync(`/sys/block/${dev.replace('/dev/', '')}/ro`, 'utf8').trim() !== '0') sh('blockdev', '--setrw', dev);
    return dev;
  };
  return {
    root,
    dir: (name) => {
      const d = `${root}/${name}`;
      mkdirSync(d, { recursive: true });
      return d;
    },
    attach: (img) => attach(img),
    loop: (name, fstype, sizeMiB) => {
      const img = `${root}/${name}.img`;
      const size = sizeMiB ?? { ext4: 32, xfs: 320, btrfs: 128 }[fstype];
      sh('truncate', '-s', `${size}M`, img);
      const dev = attach(img);
      const mkfs = { ext4: ['mkfs.ext4', '-q', '-F'], xfs: ['mkfs.xfs', '-q', '-f'], btrfs: ['mkfs.btrfs', '-q', '-f'] }[fstype];
      sh(mkfs[0]!, ...mkfs.slice(1), dev);
      return { dev, img };
    },
    holder: (argv, cwd) => {
      const c = spawn(argv[0]!, argv.slice(1), { cwd, stdio: 'ignore', detached: true });
      kids.push(c);
      return c;
    },
    destroy: () => {
      for (const c of kids) if (c.exitCode === null && c.signalCode === null) try { c.kill('SIGKILL'); } catch { /* gone */ }
      // Unmount everything below the lab root, deepest first, then detach the loops and remove the files.
      for (let i = 0; i < 20; i++) {
        const mps = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => (l.split(' ')[4] ?? '').replace(/\\040/g, ' '))
          .filter((m) => m.startsWith(`${root}/`) || m.startsWith('/run/resource-agents/hakit-Filesystem-move'))
          .sort((a, b) => b.length - a.length);
        if (mps.length === 0) break;
        for (const m of mps) trySh('umount', '-l', m);
      }
      for (const l of loops) trySh('losetup', '-d', l);
      rmSync(root, { recursive: true, force: true });
    },
  };
};

export const PROBE = { OCF_RESKEY_CRM_meta_interval: '0' };
export const RECURRING = { OCF_RESKEY_CRM_meta_interval: '20000', OCF_RESKEY_CRM_meta_timeout: '40000' };

// Runs an agent action with Pacemaker's environment (instance name fixed so status files are predictable).
export const call = (which: Which, action: string, params: Record<string, string>, env: Record<string, string> = {}): AgentRun =>
  runAgentBinary(AGENTS[which], action, params, { OCF_RESOURCE_INSTANCE: 'hkfs', HA_RSCTMP: '/run/resource-agents', ...env }, { timeoutMs: 90_000 });

// Whether a child we spawned has died (its exit was seen by the event loop).
export const dead = (c: ChildProcess): boolean => c.exitCode !== null || c.signalCode !== null;
export const tick = (ms = 150) => new Promise((r) => setTimeout(r, ms));
