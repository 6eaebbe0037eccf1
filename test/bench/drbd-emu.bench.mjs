// The DRBD emulator's figure: one emulated drbdsetup / drbdadm call ≤ 30 ms wall. A single emulated node (its own
// network namespace, a loop device as backing disk, attached, its peer absent: WFConnection), each call timed alone;
// then drbdadm's in-process fast path against the real drbdadm-84 path (HAKIT_DRBDADM_FAST=0), ABBA.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DIST, compare, report, single } from './lib.mjs';

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
    x(inNs(['drbdadm', 'up', 'r0']));
    x(inNs(['drbdadm', 'primary', '--force', 'r0'])); // UpToDate data, so primary/secondary below succeed
    x(inNs(['drbdadm', 'secondary', 'r0']));
    for (const [label, args] of [
      ['drbdsetup role 0', ['drbdsetup', 'role', '0']],
      ['drbdsetup sh-status r0', ['drbdsetup', 'sh-status', 'r0']],
      ['drbdsetup events2 --now r0', ['drbdsetup', 'events2', '--now', 'r0']],
      ['drbdadm role r0', ['drbdadm', 'role', 'r0']],
      ['drbdadm dstate r0', ['drbdadm', 'dstate', 'r0']],
      ['drbdadm cstate r0', ['drbdadm', 'cstate', 'r0']],
      ['drbdadm sh-dev r0', ['drbdadm', 'sh-dev', 'r0']],
      ['drbdadm -v adjust r0 (nothing to do)', ['drbdadm', '-v', 'adjust', 'r0']],
    ]) {
      report(single({ name: `emulated ${label}`, n: 21, netns: ns, run: { label: 'emu', argv: [join(libexec, args[0]), ...args.slice(1)], env } }));
    }
    // state changes: each timed call finds the other role (set untimed before it)
    const setup = (c) => inNs([join(libexec, 'drbdsetup'), c, '0']);
    report(single({ name: 'emulated drbdadm primary r0', n: 21, netns: ns, run: { label: 'emu', argv: [join(libexec, 'drbdadm'), 'primary', 'r0'], env, before: [setup('secondary')] } }));
    report(single({ name: 'emulated drbdadm secondary r0', n: 21, netns: ns, run: { label: 'emu', argv: [join(libexec, 'drbdadm'), 'secondary', 'r0'], env, before: [setup('primary')] } }));
    // the fast path (one process) against the real drbdadm-84 path (two executable starts), same calls, ABBA
    const real = { ...env, HAKIT_DRBDADM_FAST: '0' };
    for (const [args, before] of [[['role', 'r0']], [['dstate', 'r0']], [['cstate', 'r0']], [['-v', 'adjust', 'r0']],
      [['primary', 'r0'], setup('secondary')], [['secondary', 'r0'], setup('primary')]]) {
      const argv = [join(libexec, 'drbdadm'), ...args];
      const b4 = before ? { before: [before] } : {};
      report(compare({ name: `drbdadm ${args.join(' ')}: fast / drbdadm-84`, n: 21, netns: ns, expectRc: 0,
        a: { label: 'fast', argv, env, ...b4 }, b: { label: 'drbdadm-84', argv, env: real, ...b4 } }));
    }
    // the documented fast path: drbdadm as a shell script exec'ing the real drbdadm-84 (one executable start less)
    const script = join(dir, 'drbdadm');
    writeFileSync(script, `#!/bin/sh\nexec /usr/lib/drbd/drbdadm-84 -c ${env.HAKIT_DRBD_CONF} --drbdsetup ${libexec}/drbdsetup-84 --drbdmeta ${libexec}/drbdmeta "$@"\n`, { mode: 0o755 });
    report(single({ name: 'emulated drbdadm role r0 (shell drbdadm)', n: 21, netns: ns, run: { label: 'emu', argv: [script, 'role', 'r0'], env } }));
    report(single({ name: 'baseline: hakit --version (SEA start only)', n: 21, netns: ns, run: { label: 'sea', argv: [join(DIST, 'bin', 'hakit'), '--version'], env } }));
  } finally {
    spawnSync('ip', ['netns', 'exec', ns, 'env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), join(libexec, 'drbdsetup'), 'down', 'r0']);
    if (disk) spawnSync('losetup', ['-d', disk]);
    // the emulated kernel's device loop (over its placeholder under dir) if `down` left it
    for (const l of spawnSync('losetup', ['-l', '-n', '-O', 'NAME,BACK-FILE'], { encoding: 'utf8' }).stdout.split('\n')) {
      const [name, back] = l.trim().split(/\s+/);
      if (name && back?.startsWith(`${dir}/`)) spawnSync('losetup', ['-d', name]);
    }
    spawnSync('ip', ['netns', 'del', ns]);
    rmSync(dir, { recursive: true, force: true });
  }
};
