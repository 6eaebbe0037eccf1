import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detachEmulatorLoops, DISK_ID_FILE } from './loops';
import { freshRun, HOST_PROVIDERS, NODE_BINDS } from './node-files';
import { NODE_INIT_SCRIPT } from './node-init';
import { run, runAsync, type ProcOptions, type ProcResult, waitFor } from './proc';
import type { LabLayout, LabNode } from './layout';

// A node's processes: its init (PID 1 of its PID namespace) and everything started inside it with nsenter.

const initPidFile = (node: LabNode) => join(node.dir, 'log', 'init.pid');

// The host PID of the node's init, if it is alive and really sits in the node's network namespace.
export const nodeInitPid = (node: LabNode): number | undefined => {
  try {
    const pid = Number(readFileSync(initPidFile(node), 'utf8').trim());
    if (!pid) return undefined;
    const ns = readlinkSync(`/proc/${pid}/ns/net`); // net:[inode]
    const want = statSync(`/run/netns/${node.netns}`).ino;
    return ns === `net:[${want}]` ? pid : undefined;
  } catch {
    return undefined;
  }
};

// Environment of the processes started in a node (the emulator's tools first on PATH when built).
export const nodeEnv = (layout: LabLayout): NodeJS.ProcessEnv => ({
  PATH: `${join(layout.dir, 'libexec', 'hakit')}:/usr/sbin:/usr/bin:/sbin:/bin`,
  LC_ALL: 'C',
  HOME: '/root',
  OCF_ROOT: '/usr/lib/ocf',
  PCMK_logfile: '/var/log/pacemaker/pacemaker.log',
  PCMK_logfacility: 'none',
  HA_LOGFACILITY: 'none',
  HAKIT_DRBD_PROC_FILE: '/run/hakit-drbd/proc-drbd', // the emulator's /proc/drbd (no kernel module here)
});

// The argv that runs `argv` inside the node (all its namespaces).
export const nodeArgv = (pid: number, argv: readonly string[], fork = true): string[] =>
  ['nsenter', '-t', String(pid), '-m', '-u', '-i', '-n', '-p', ...(fork ? [] : ['-F']), '--', ...argv];

const requirePid = (node: LabNode): number => {
  const pid = nodeInitPid(node);
  if (!pid) throw new Error(`${node.name} is down`);
  return pid;
};

// Runs a command inside a node and waits for it.
export const nodeRun = (layout: LabLayout, node: LabNode, argv: readonly string[], opts: ProcOptions = {}): ProcResult => {
  const [file, ...args] = nodeArgv(requirePid(node), argv);
  return run(file!, args, { ...opts, env: { ...nodeEnv(layout), ...opts.env } });
};

// Same, asynchronously.
export const nodeRunAsync = (layout: LabLayout, node: LabNode, argv: readonly string[], opts: ProcOptions = {}): Promise<ProcResult> => {
  const [file, ...args] = nodeArgv(requirePid(node), argv);
  return runAsync(file!, args, { ...opts, env: { ...nodeEnv(layout), ...opts.env } });
};

// Starts a daemon inside a node, in its own session, output appended to the node's log/<name>.out.
export const nodeDaemon = (layout: LabLayout, node: LabNode, name: string, argv: readonly string[], env: NodeJS.ProcessEnv = {}): void => {
  const fd = openSync(join(node.dir, 'log', `${name}.out`), 'a');
  try {
    const [file, ...args] = nodeArgv(requirePid(node), ['setsid', '-f', ...argv]);
    const r = spawnSync(file!, args, { stdio: ['ignore', fd, fd], env: { ...nodeEnv(layout), ...env }, timeout: 10_000 });
    if (r.status !== 0) throw new Error(`starting ${name} on ${node.name} failed (rc=${r.status}): see ${join(node.dir, 'log', `${name}.out`)}`);
  } finally {
    closeSync(fd);
  }
};

// The bind mounts the init makes, in order (host providers into the node's resource.d first, /run last).
const bindPairs = (node: LabNode): string[] => [
  ...HOST_PROVIDERS.filter((p) => existsSync(`/usr/lib/ocf/resource.d/${p}`))
    .flatMap((p) => [`/usr/lib/ocf/resource.d/${p}`, join(node.dir, 'ocf-resource.d', p)]),
  'ocf-resource.d', '/usr/lib/ocf/resource.d',
  ...NODE_BINDS.filter(([s]) => existsSync(join(node.dir, s))).flatMap(([s, d]) => [s, d]),
  'run', '/run',
];

// Powers a node on: a fresh /run, then its init in new PID/mount/UTS/IPC namespaces inside its network namespace.
export const startNodeInit = async (node: LabNode): Promise<number> => {
  if (nodeInitPid(node)) throw new Error(`${node.name} is already running`);
  detachEmulatorLoops(node);
  freshRun(node);
  rmSync(join(node.dir, 'log', 'ready'), { force: true });
  const out = openSync(join(node.dir, 'log', 'init.out'), 'a');
  const child = spawn('nsenter', [`--net=/run/netns/${node.netns}`, '--', 'unshare', '--pid', '--fork', '--mount-proc',
    '--mount', '--uts', '--ipc', '--propagation', 'private', '--kill-child', '--',
    '/bin/sh', '-c', NODE_INIT_SCRIPT, 'hkl-init', node.dir, node.name, ...bindPairs(node)], {
    detached: true, stdio: ['ignore', out, out], env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' },
  });
  child.unref();
  closeSync(out);
  const unsharePid = child.pid!;
  const pid = await waitFor(`${node.name}'s init`, () => {
    if (!existsSync(join(node.dir, 'log', 'ready'))) {
      if (child.exitCode !== null) throw new Error(`${node.name}'s init failed: ${readFileSync(join(node.dir, 'log', 'init.out'), 'utf8').trim().split('\n').slice(-3).join(' / ')}`);
      return undefined;
    }
    try {
      const kids = readFileSync(`/proc/${unsharePid}/task/${unsharePid}/children`, 'utf8').trim().split(/\s+/).map(Number).filter(Boolean);
      return kids[0];
    } catch {
      return undefined;
    }
  }, 15_000, 20);
  writeFileSync(initPidFile(node), `${pid}\n`);
  if (existsSync(join(node.dir, 'disk.loop'))) {
    const r = run('nsenter', ['-t', String(pid), '-m', '--', 'stat', '-c', '%Hd:%Ld %i', '/dev/hkl-disk']);
    writeFileSync(join(node.dir, 'log', DISK_ID_FILE), r.stdout);
  }
  return pid;
};

// Powers a node off at once (SIGKILL of its init: the kernel kills every process in its PID namespace).
export const killNode = async (node: LabNode): Promise<boolean> => {
  const pid = nodeInitPid(node);
  if (!pid) return false;
  process.kill(pid, 'SIGKILL');
  await waitFor(`${node.name} to power off`, () => (existsSync(`/proc/${pid}`) ? undefined : true), 10_000, 20);
  return true;
};
