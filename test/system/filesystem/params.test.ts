import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { AGENTS, call, createLab, mountedAt, PROBE, RECURRING, sh, trySh, type Lab } from './lab';

// Parameter forms, hostile values, missing helper programs, a late device node and ocf-tester, on real loops.
let lab: Lab;
let dev = '';
let uuid = '';
beforeAll(() => {
  lab = createLab('params');
  ({ dev } = lab.loop('p', 'ext4'));
  sh('e2label', dev, 'hkfsparams');
  uuid = sh('blkid', '-s', 'UUID', '-o', 'value', dev).trim();
});
afterAll(() => lab?.destroy());

describe('device forms', () => {
  it.each([['-U', () => `-U ${uuid}`], ['--uuid=', () => `--uuid=${uuid}`], ['UUID=', () => `UUID=${uuid}`],
    ['-L', () => '-L hkfsparams'], ['LABEL=', () => 'LABEL=hkfsparams']])('%s: start, monitor 0/10, stop', (_, device) => {
    const dir = `${lab.root}/form`;
    const p = { device: device(), directory: dir, fstype: 'ext4' };
    expect(call('hakit', 'start', p).code).toBe(0);
    expect(mountedAt(dir)).toEqual([dev]);
    expect(call('hakit', 'monitor', p, RECURRING).code).toBe(0);
    expect(call('hakit', 'monitor', p, { ...RECURRING, OCF_CHECK_LEVEL: '10' }).code).toBe(0);
    expect(call('hakit', 'start', p).code).toBe(0);
    expect(call('hakit', 'stop', p).code).toBe(0);
    expect(mountedAt(dir)).toEqual([]);
  });

  it('an unknown UUID: start 5, probe 7, stop 0', () => {
    const p = { device: '-U 00000000-hkfs-0000-0000-000000000000', directory: `${lab.root}/form`, fstype: 'ext4' };
    expect(call('hakit', 'start', p).code).toBe(5);
    expect(call('hakit', 'monitor', p, PROBE).code).toBe(7);
    expect(call('hakit', 'stop', p).code).toBe(0);
  });
});

describe('mount point spelling', () => {
  it('a mount point with a space (\\040 in mountinfo) reached through a symlink: start, monitor, stop', () => {
    const real = lab.dir('with space');
    const link = `${lab.root}/link-to-space`;
    symlinkSync(real, link);
    const p = { device: dev, directory: `${link}//`, fstype: 'ext4' };
    expect(call('hakit', 'monitor', p, PROBE).code).toBe(7);
    expect(call('hakit', 'start', p).code).toBe(0);
    expect(mountedAt(real)).toEqual([dev]);
    expect(call('hakit', 'monitor', p, RECURRING).code).toBe(0);
    expect(call('hakit', 'monitor', p, { ...RECURRING, OCF_CHECK_LEVEL: '20' }).code).toBe(0);
    expect(call('hakit', 'start', p).code).toBe(0);
    expect(call('hakit', 'stop', p).code).toBe(0);
    expect(mountedAt(real)).toEqual([]);
    expect(call('hakit', 'monitor', p, RECURRING).code).toBe(7);
  });
});

describe('late device node', () => {
  it('start waits (within its budget) for a device node that appears after it began', async () => {
    const late = `/dev/hk-fs-late-${process.pid}`;
    const dir = `${lab.root}/late-mnt`;
    const env = { ...process.env, OCF_ROOT: '/usr/lib/ocf', OCF_RESOURCE_INSTANCE: 'hkfs', OCF_RESKEY_device: late,
      OCF_RESKEY_directory: dir, OCF_RESKEY_fstype: 'ext4', OCF_RESKEY_CRM_meta_timeout: '20000' };
    onTestFinished(() => rmSync(late, { force: true }));
    const child = spawn(AGENTS.hakit, ['start'], { env, stdio: 'ignore' });
    const done = new Promise<number>((r) => child.on('exit', (c) => r(c ?? 128)));
    await new Promise((r) => setTimeout(r, 800));
    symlinkSync(dev, late);
    expect(await done).toBe(0);
    expect(mountedAt(dir)).toEqual([dev]);
    expect(call('hakit', 'stop', { device: late, directory: dir, fstype: 'ext4' }).code).toBe(0);
  });
});

describe('missing helper programs', () => {
  it('with modprobe, fuser and fsck gone (hidden in a private mount namespace), start and stop still work; upstream returns 5', () => {
    const nothing = `${lab.root}/not-a-program`;
    sh('touch', nothing);
    const dir = `${lab.root}/nohelpers`;
    const env = `OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=hkfs OCF_RESKEY_device=${dev} OCF_RESKEY_directory=${dir} OCF_RESKEY_fstype=ext4`;
    const script = [
      'set -u',
      `for b in $(readlink -f /usr/sbin/modprobe /usr/bin/fuser /usr/sbin/fsck); do mount --bind ${nothing} "$b"; done`,
      'for b in modprobe fuser fsck; do [ -x "$(command -v $b)" ] && echo "helpers still visible"; done',
      `env ${env} "$1" start; echo "hakit-start=$?"`,
      `env ${env} OCF_RESKEY_CRM_meta_interval=10000 "$1" monitor; echo "hakit-monitor=$?"`,
      `env ${env} "$1" stop; echo "hakit-stop=$?"`,
      `grep -c " ${dir} " /proc/self/mountinfo; mount ${dev} ${dir}`,
      `env ${env} "$2" stop; echo "heartbeat-stop=$?"`,
      `umount ${dir}`,
    ].join('\n');
    const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'bash', '-c', script, 'x', AGENTS.hakit, AGENTS.heartbeat], { encoding: 'utf8' });
    expect(r.stdout).not.toContain('helpers still visible');
    expect(r.stdout).toContain('hakit-start=0\nhakit-monitor=0\nhakit-stop=0\n0\n');
    expect(r.stdout).toContain('heartbeat-stop=5');
  });
});

describe('hostile parameter values never run anything', () => {
  const marker = '/tmp/hk-fs-pwned';
  const evil = [`$(touch ${marker})`, `\`touch ${marker}\`; touch ${marker} | touch ${marker}`, `-o exec\ntouch ${marker}`,
    'a'.repeat(100_000)];
  const fields = ['device', 'directory', 'fstype', 'options', 'statusfile_prefix', 'run_fsck', 'force_unmount', 'term_signals',
    'kill_signals', 'signal_delay'];
  it('in every parameter, for start, probe, monitor, validate-all and stop: sane codes, no stack trace, nothing touched', () => {
    rmSync(marker, { force: true });
    const base = { device: dev, directory: `${lab.root}/hostile`, fstype: 'ext4' };
    for (const field of fields) {
      for (const value of evil) {
        const p = { ...base, [field]: value };
        let started = false;
        const actions = value === evil[0]
          ? [['start', {}], ['monitor', PROBE], ['monitor', RECURRING], ['validate-all', {}], ['stop', {}]] as const
          : [['start', {}], ['monitor', PROBE], ['stop', {}]] as const;
        for (const [action, env] of actions) {
          const r = call('hakit', action, p, env);
          expect(r.stderr).not.toMatch(/\n\s+at /);
          expect([0, 1, 2, 5, 6, 7]).toContain(r.code);
          if (action === 'start') started = r.code === 0;
          if (action === 'stop') expect(r.code).toBe(0);
          // a probe finds it running only when start could mount it (values that are ignored with a warning)
          if (action === 'monitor' && env === PROBE) expect(r.code).toBe(started ? 0 : 7);
        }
        trySh('umount', base.directory);
      }
    }
    expect(existsSync(marker)).toBe(false);
  }, 600_000);

  it('non-UTF-8 bytes in directory and device', () => {
    const r = spawnSync('bash', ['-c', `OCF_RESKEY_directory=$(printf '${lab.root}/\\xff\\xfe') OCF_RESKEY_device=$(printf '/dev/\\xc3\\x28') OCF_RESKEY_fstype=ext4 OCF_ROOT=/usr/lib/ocf "$0" start; echo "rc=$?"`, AGENTS.hakit], { encoding: 'utf8' });
    expect(r.stdout).toContain('rc=5');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('ocf-tester', () => {
  it('passes against the built agent', () => {
    const dir = `${lab.root}/tester`;
    mkdirSync(dir, { recursive: true });
    const r = spawnSync('/usr/sbin/ocf-tester', ['-n', 'hkfs', '-o', `device=${dev}`, '-o', `directory=${dir}`, '-o', 'fstype=ext4', AGENTS.hakit],
      { encoding: 'utf8', env: { ...process.env, OCF_ROOT: '/usr/lib/ocf' }, timeout: 120_000 });
    expect(r.stdout + r.stderr).toContain('passed all tests');
    expect(r.status).toBe(0);
    expect(mountedAt(dir)).toEqual([]);
  });
});
