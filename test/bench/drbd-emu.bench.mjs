// The DRBD emulator's figure: one emulated drbdsetup / drbdadm call ≤ 30 ms wall. A single emulated node (its own
// network namespace, a loop device as backing disk, attached but not connected: no traffic), each call timed alone.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DIST, report, single } from './lib.mjs';

const x = (args, env) => execFileSync(args[0], args.slice(1), { encoding: 'utf8', env: { ...process.env, ...env } });

export const run = async () => {
  const ns = `hk-emu-bench${process.pid % 1000}`;
  const dir = mkdtempSync('/tmp/hk-emu-bench-');
  const libexec = join(DIST, 'libexec', 'hakit');
  let disk;
  const env = { PATH: `${libexec}:/usr/sbin:/usr/bin:/sbin:/bin`, HAKIT_DRBD_RUN: join(dir, 'run'), HAKIT_DRBD_DEV_DIR: join(dir, 'dev'), HAKIT_DRBD_CONF: join(dir, 'r0.conf'), LC_ALL: 'C' };
  const inNs = (args) => ['ip', 'netns', 'exec', ns, 'env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...args];
  try {
    x(['ip', 'netns', 'add', ns]);
    x(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
    x(['ip', '-n', ns, 'addr', 'add', '10.213.250.1/32', 'dev', 'lo']);
    x(['truncate', '-s', '16M', join(dir, 'disk.img')]);
    disk = x(['losetup', '--find', '--show', join(dir, 'disk.img')]).trim();
    x(['blockdev', '--setrw', disk]);
    writeFileSync(env.HAKIT_DRBD_CONF, `resource r0 {\n  on ${hostname()} { device /dev/drbd0 minor 0; disk ${disk}; address 10.213.250.1:7999; meta-disk internal; }\n` +
      `  on hk-emu-bench-peer { device /dev/drbd0 minor 0; disk ${disk}; address 10.213.250.2:7999; meta-disk internal; }\n}\n`);
    x(inNs(['drbdadm', 'create-md', '--force', 'r0']));
    for (const c of [['new-resource', 'r0'], ['new-minor', 'r0', '0', '0'], ['attach', '0', disk, disk, 'internal']]) x(inNs(['drbdsetup', ...c]));
    for (const [label, args] of [
      ['drbdsetup role 0', ['drbdsetup', 'role', '0']],
      ['drbdsetup sh-status r0', ['drbdsetup', 'sh-status', 'r0']],
      ['drbdsetup events2 --now r0', ['drbdsetup', 'events2', '--now', 'r0']],
      ['drbdadm role r0', ['drbdadm', 'role', 'r0']],
      ['drbdadm dstate r0', ['drbdadm', 'dstate', 'r0']],
      ['drbdadm sh-dev r0 (config only)', ['drbdadm', 'sh-dev', 'r0']],
    ]) {
      report(single({ name: `emulated ${label}`, n: 21, netns: ns, run: { label: 'emu', argv: [join(libexec, args[0]), ...args.slice(1)], env } }));
    }
    // the documented fast path: drbdadm as a shell script exec'ing the real drbdadm-84 (one executable start less)
    const script = join(dir, 'drbdadm');
    writeFileSync(script, `#!/bin/sh\nexec /usr/lib/drbd/drbdadm-84 -c ${env.HAKIT_DRBD_CONF} --drbdsetup ${libexec}/drbdsetup-84 --drbdmeta ${libexec}/drbdmeta "$@"\n`, { mode: 0o755 });
    report(single({ name: 'emulated drbdadm role r0 (shell drbdadm)', n: 21, netns: ns, run: { label: 'emu', argv: [script, 'role', 'r0'], env } }));
    report(single({ name: 'baseline: hakit --version (SEA start only)', n: 21, netns: ns, run: { label: 'sea', argv: [join(DIST, 'bin', 'hakit'), '--version'], env } }));
  } finally {
    spawnSync('ip', ['netns', 'exec', ns, 'env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), join(libexec, 'drbdsetup'), 'down', 'r0']);
    if (disk) spawnSync('losetup', ['-d', disk]);
    spawnSync('ip', ['netns', 'del', ns]);
    rmSync(dir, { recursive: true, force: true });
  }
};
