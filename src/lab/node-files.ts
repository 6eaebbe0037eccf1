import { chownSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { must } from './proc';
import { CLUSTER_NAME, FLOATING_IP, type LabLayout, type LabNode } from './layout';

// The per-node files on the host, bind-mounted over the node's own paths by its init (see node-init.ts).

// Host directory (relative to the node dir) → path inside the node. /run is bound last (the node dir may be under it).
export const NODE_BINDS: ReadonlyArray<readonly [string, string]> = [
  ['etc-corosync', '/etc/corosync'],
  ['hosts', '/etc/hosts'],
  ['var-lib-pacemaker', '/var/lib/pacemaker'],
  ['var-lib-corosync', '/var/lib/corosync'],
  ['var-log-pacemaker', '/var/log/pacemaker'],
  ['var-log-corosync', '/var/log/corosync'],
  ['etc-apache2', '/etc/apache2'],
  ['var-log-apache2', '/var/log/apache2'],
  ['www', '/var/www/html'], // only when the node dir has www/ (templates without shared storage)
  ['etc-drbd.d', '/etc/drbd.d'],
  ['var-lib-drbd', '/var/lib/drbd'],
];

// The OCF providers bound from the host into the node's own /usr/lib/ocf/resource.d (plus hakit, from the build,
// and linbit, copied: see linbitShim).
export const HOST_PROVIDERS = ['heartbeat', 'pacemaker'];

// The upstream ocf:linbit:drbd, copied with one change: it reads the DRBD emulator's /proc/drbd view
// (/run/hakit-drbd/proc-drbd) instead of /proc/drbd, which cannot exist without the kernel module (procfs
// takes no new files, not even as bind-mount targets). Everything else is the installed agent, unchanged.
export const EMULATED_PROC_DRBD = '/run/hakit-drbd/proc-drbd';
const linbitShim = (dest: string): void => {
  const src = '/usr/lib/ocf/resource.d/linbit';
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  if (!existsSync(src)) return;
  for (const f of readdirSync(src)) {
    const text = readFileSync(join(src, f), 'utf8');
    writeFileSync(join(dest, f), text.replaceAll('/proc/drbd', EMULATED_PROC_DRBD), { mode: statSync(join(src, f)).mode & 0o777 });
  }
};

const hacluster = (): { uid: number; gid: number } => ({
  uid: Number(must('id', ['-u', 'hacluster']).trim()),
  gid: Number(must('id', ['-g', 'hacluster']).trim()),
});

// corosync.conf for the lab: knet on the lab subnet, no crypto (nothing leaves the namespaces), two_node for 2 nodes.
export const corosyncConf = (layout: LabLayout): string => `# written by hakit lab
totem {
  version: 2
  cluster_name: ${CLUSTER_NAME}
  transport: knet
  crypto_cipher: none
  crypto_hash: none
}
nodelist {
${layout.nodes.map((n) => `  node {\n    ring0_addr: ${n.ip}\n    name: ${n.name}\n    nodeid: ${n.index}\n  }`).join('\n')}
}
quorum {
  provider: corosync_votequorum
${layout.nodes.length === 2 ? '  two_node: 1\n' : ''}}
logging {
  to_logfile: yes
  logfile: /var/log/corosync/corosync.log
  to_syslog: no
  to_stderr: no
  timestamp: hires
}
`;

const hostsFile = (layout: LabLayout): string =>
  `127.0.0.1 localhost\n${layout.nodes.map((n) => `${n.ip} ${n.name}`).join('\n')}\n${FLOATING_IP} hkl-web\n`;

const mkdirOwned = (path: string, owner: { uid: number; gid: number }, mode: number): void => {
  mkdirSync(path, { recursive: true, mode });
  chownSync(path, owner.uid, owner.gid);
};

// Creates the node's persistent directories (once, at `lab up`): configs, state, logs, apache, the agents.
export const writeNodeFiles = (layout: LabLayout, node: LabNode, hakitBin: string, ownWww: boolean): void => {
  const d = node.dir;
  const hc = hacluster();
  mkdirSync(d, { recursive: true });
  mkdirSync(join(d, 'etc-corosync'), { recursive: true });
  writeFileSync(join(d, 'etc-corosync', 'corosync.conf'), corosyncConf(layout));
  writeFileSync(join(d, 'hosts'), hostsFile(layout));
  mkdirOwned(join(d, 'var-lib-pacemaker'), hc, 0o750);
  for (const s of ['cib', 'pengine', 'blackbox', 'cores']) mkdirOwned(join(d, 'var-lib-pacemaker', s), hc, 0o750);
  mkdirOwned(join(d, 'var-log-pacemaker'), hc, 0o770);
  for (const s of ['var-lib-corosync', 'var-log-corosync', 'var-log-apache2', 'etc-drbd.d', 'var-lib-drbd', 'log']) mkdirSync(join(d, s), { recursive: true });
  if (!existsSync(join(d, 'etc-apache2'))) cpSync('/etc/apache2', join(d, 'etc-apache2'), { recursive: true, verbatimSymlinks: true });
  writeFileSync(join(d, 'etc-apache2', 'conf-enabled', 'hkl-lab.conf'), `# hakit lab\nServerName ${node.name}\n`);
  if (ownWww) {
    mkdirSync(join(d, 'www'), { recursive: true });
    writeFileSync(join(d, 'www', 'index.html'), `<h1>hakit lab: ${node.name} (no shared storage)</h1>\n`);
  }
  const ocf = join(d, 'ocf-resource.d');
  for (const p of HOST_PROVIDERS) mkdirSync(join(ocf, p), { recursive: true });
  linbitShim(join(ocf, 'linbit'));
  rmSync(join(ocf, 'hakit'), { recursive: true, force: true });
  mkdirSync(join(ocf, 'hakit'), { recursive: true });
  const agents = must(hakitBin, ['agents']).trim().split('\n').filter(Boolean);
  for (const a of agents) symlinkSync(hakitBin, join(ocf, 'hakit', a));
};

// Rebuilds the node's /run (on every node start: a crashed node comes back with no stale state).
export const freshRun = (node: LabNode): string => {
  const run = join(node.dir, 'run');
  rmSync(run, { recursive: true, force: true });
  mkdirSync(run, { recursive: true, mode: 0o755 });
  const hc = hacluster();
  mkdirOwned(join(run, 'crm'), hc, 0o750);
  for (const s of ['lock', 'resource-agents', 'corosync', 'apache2', 'drbd']) mkdirSync(join(run, s), { recursive: true });
  if (existsSync(join(node.dir, 'disk.loop'))) {
    // The emulated module is "loaded" from power-on, as drbd.ko would be: its /proc/drbd view with no minors yet.
    mkdirSync(join(run, 'hakit-drbd'), { recursive: true, mode: 0o700 });
    writeFileSync(join(run, 'hakit-drbd', 'proc-drbd'), 'version: 8.4.11 (api:1/proto:86-101)\nsrcversion: hakit-lab-emulator\n');
  }
  return run;
};
