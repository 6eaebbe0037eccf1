// Two emulated DRBD nodes for system tests: each node is a network namespace (hk-emu-<id><n>) holding a process
// with its own mount and UTS namespace (hostname = node name), its own /dev (a tmpfs of links to the host's device
// nodes, so /dev/drbd0 is private), /mnt and run dir; a real loop device per node as backing disk.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST } from '../../helpers/dist';

export const LIBEXEC = join(DIST, 'libexec', 'hakit');
export interface Result { rc: number; stdout: string; stderr: string }
export interface Node { name: string; ns: string; addr: string; disk: string; img: string; run: string; veth: string; holder?: ChildProcess; pid?: string }
export interface TwoNodes {
  dir: string; conf: string; share: string; nodes: [Node, Node];
  sh(n: Node, args: string[], input?: string): Result;
  crash(n: Node): void; // power cut: every process of the node dies at once
  boot(n: Node): void; // the node comes back (same disk, nothing of DRBD running)
  link(n: Node, up: boolean): void; // pulls or plugs the node's replication link
  replaceDisk(n: Node): void; // a new, empty backing disk (node must be down)
  destroy(): void;
}
export interface Options {
  names?: [string, string]; ips?: [string, string]; sizeMiB?: number;
  conf?: (nodes: { name: string; disk: string; addr: string }[], port: number) => string; // default: resourceConf
  diskAlias?: string; // also show the node's disk under this name in its /dev (e.g. /dev/vda)
  init?: (dir: string) => string[]; // more shell lines run in the node's namespaces when it boots (dir: the pair's folder)
}

const x = (args: string[]): string => execFileSync(args[0]!, args.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

// The resource file both nodes use by default (`extra` goes into the resource section).
export const resourceConf = (nodes: readonly { name: string; disk: string; addr: string }[], port: number, extra = ''): string =>
  `resource r0 {\n  net { protocol C; }\n  disk { c-plan-ahead 0; resync-rate 16M; }\n${extra}` +
  nodes.map((n) => `  on ${n.name} { device /dev/drbd0 minor 0; disk ${n.disk}; address ${n.addr}:${port}; meta-disk internal; }\n`).join('') + '}\n';

const detachLoopsOf = (files: string[]): void => {
  for (const f of files) {
    for (const line of spawnSync('losetup', ['-j', f], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)) {
      const l = line.split(':')[0]!;
      spawnSync('blockdev', ['--setrw', l]);
      spawnSync('losetup', ['-d', l]);
    }
  }
};

export const createTwoNodes = async (o: Options = {}): Promise<TwoNodes> => {
  const id = randomBytes(2).toString('hex');
  const dir = `/tmp/hk-emu-${id}`;
  const share = join(dir, 'share');
  mkdirSync(share, { recursive: true });
  const port = 7700 + (parseInt(id, 16) % 200);
  const names = o.names ?? ['nodea', 'nodeb'];
  const made: Node[] = [];
  const veth = [`hkemu${id}a`, `hkemu${id}b`];
  const cleanup: (() => void)[] = [() => rmSync(dir, { recursive: true, force: true })];
  const destroy = (): void => { for (const c of cleanup.reverse()) { try { c(); } catch { /* keep going */ } } };
  const killAll = (n: Node): void => {
    for (const pid of spawnSync('ip', ['netns', 'pids', n.ns], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)) { try { process.kill(Number(pid), 'SIGKILL'); } catch { /* */ } }
    n.pid = undefined;
  };
  const newDisk = (n: Node): void => {
    x(['truncate', '-s', `${o.sizeMiB ?? 24}M`, n.img]);
    n.disk = x(['losetup', '--find', '--show', n.img]).trim();
    x(['blockdev', '--setrw', n.disk]); // a minor's read-only flag can outlive its previous user
  };
  const boot = (n: Node): void => {
    const hostdev = join(dir, n.name, 'hostdev');
    mkdirSync(hostdev, { recursive: true });
    const init = [`hostname ${n.name}`, `mount --rbind /dev ${hostdev}`, 'mount -t tmpfs -o mode=755 hk-emu-dev /dev',
      `for e in ${hostdev}/*; do ln -s "$e" "/dev/\${e##*/}"; done`,
      `i=0; while [ $i -lt 256 ]; do [ -e /dev/loop$i ] || ln -s ${hostdev}/loop$i /dev/loop$i; i=$((i+1)); done`,
      ...(o.diskAlias ? [`ln -sf ${n.disk} ${o.diskAlias}`] : []),
      'mount -t tmpfs hk-emu-mnt /mnt', 'mount --make-shared /mnt', ...(o.init?.(dir) ?? []), 'exec sleep 100000'].join('; ');
    n.holder = spawn('ip', ['netns', 'exec', n.ns, 'unshare', '--mount', '--uts', '--propagation', 'private', '--fork', 'sh', '-c', init], { stdio: 'ignore' });
    // ip netns exec execs unshare (same pid); its forked child execs sleep once the node is set up
    for (let i = 0; i < 250 && !n.pid; i++) {
      const s = spawnSync('pgrep', ['-x', 'sleep', '-P', String(n.holder.pid)], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
      if (s) n.pid = s; else spawnSync('sleep', ['0.02']);
    }
    if (!n.pid) throw new Error(`${n.name} did not boot`);
  };
  try {
    x(['ip', 'link', 'add', veth[0]!, 'type', 'veth', 'peer', 'name', veth[1]!]);
    cleanup.push(() => spawnSync('ip', ['link', 'del', veth[0]!]));
    for (const [i, name] of names.entries()) {
      const ns = `hk-emu-${id}${'ab'[i]}`;
      x(['ip', 'netns', 'add', ns]);
      const addr = o.ips?.[i] ?? `10.213.${parseInt(id, 16) % 250}.${i + 1}`;
      const n: Node = { name, ns, addr, disk: '', img: join(dir, `${name}.img`), run: join(dir, name, 'run'), veth: veth[i]! };
      cleanup.push(() => { killAll(n); spawnSync('ip', ['netns', 'del', ns]); });
      x(['ip', 'link', 'set', veth[i]!, 'netns', ns]);
      x(['ip', '-n', ns, 'addr', 'add', `${addr}/24`, 'dev', veth[i]!]);
      x(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
      x(['ip', '-n', ns, 'link', 'set', veth[i]!, 'up']);
      newDisk(n);
      // the disk, and loop devices a killed emulated kernel left behind (over the disk or its empty placeholder)
      cleanup.push(() => detachLoopsOf([join(n.run, 'r0.empty'), n.disk, n.img]));
      mkdirSync(n.run, { recursive: true });
      made.push(n);
    }
    const conf = join(dir, 'r0.conf');
    writeFileSync(conf, (o.conf ?? resourceConf)(made.map((m) => ({ name: m.name, disk: o.diskAlias ?? m.disk, addr: m.addr })), port));
    for (const n of made) boot(n);
    const sh = (n: Node, args: string[], input?: string): Result => {
      if (!n.pid) return { rc: 255, stdout: '', stderr: `${n.name} is down\n` };
      const r = spawnSync('nsenter', ['-t', n.pid, '-m', '-u', '-n', 'env', `HAKIT_DRBD_RUN=${n.run}`, `HAKIT_DRBD_CONF=${conf}`,
        `PATH=${LIBEXEC}:/usr/sbin:/usr/bin:/sbin:/bin`, 'LC_ALL=C', ...args], { encoding: 'utf8', input, timeout: 120_000 });
      return { rc: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
    };
    const link = (n: Node, up: boolean): void => { x(['ip', '-n', n.ns, 'link', 'set', n.veth, up ? 'up' : 'down']); };
    const replaceDisk = (n: Node): void => {
      detachLoopsOf([n.disk, n.img]);
      rmSync(n.img, { force: true });
      newDisk(n);
    };
    // a node that comes back has no emulated kernel running: its old run dir is stale
    const bootNode = (n: Node): void => { detachLoopsOf([join(n.run, 'r0.empty'), n.disk]); rmSync(n.run, { recursive: true, force: true }); mkdirSync(n.run, { recursive: true }); boot(n); };
    return {
      dir, conf, share, nodes: [made[0]!, made[1]!], sh, crash: killAll, boot: bootNode, link, replaceDisk,
      destroy: () => {
        for (const n of made) sh(n, ['sh', '-c', 'umount -l /mnt/* /mnt 2>/dev/null; drbdsetup down r0']);
        destroy();
      },
    };
  } catch (e) { destroy(); throw e; }
};

// Text as the real-kernel recordings are normalised: tool paths reduced to their names.
export const normalise = (s: string): string => s.replaceAll(`${LIBEXEC}/`, '').replaceAll('/usr/lib/drbd/', '');

// Polls `check` until it returns true (or fails the test after `ms`).
export const until = async (what: string, check: () => boolean, ms = 20_000): Promise<void> => {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (check()) return; await new Promise((r) => setTimeout(r, 100)); }
  throw new Error(`timed out waiting for: ${what}`);
};
