import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createLab, dead, mountedAt, sh, tick, trySh, type Lab } from './lab';

// Stops of busy mounts with real processes: who is signalled (exactly the users of this mount) and who is not.
const PY = '/usr/bin/python3';
let lab: Lab;
beforeAll(() => { lab = createLab('busy'); });
afterAll(() => lab?.destroy());

// Waits until a marker file exists (a holder reports that it has set itself up).
const ready = async (marker: string) => {
  for (let i = 0; i < 200 && !existsSync(marker); i++) await tick(25);
  expect(existsSync(marker)).toBe(true);
};
const pyHolder = async (code: string, tag: string) => {
  const marker = `${lab.root}/ready-${tag}`;
  const c = lab.holder([PY, '-c', `${code}\nopen(${JSON.stringify(marker)}, 'w').close()\nimport time\ntime.sleep(600)`], '/');
  await ready(marker);
  return c;
};

describe('busy mount on ext4', () => {
  it('kills the users by cwd, open file, mmap and executable; leaves the parent mount\'s users alone; data is on the device', async () => {
    const { dev, img } = lab.loop('busy1', 'ext4');
    const parent = lab.dir('parent');
    sh('mount', '-t', 'tmpfs', 'hk-fs-parent', parent);
    const dir = `${parent}/child`;
    const p = { device: dev, directory: dir, fstype: 'ext4' };
    expect(call('hakit', 'start', p).code).toBe(0);
    writeFileSync(`${dir}/data.txt`, 'written through the mount\n');
    writeFileSync(`${dir}/mapped.bin`, Buffer.alloc(8192, 1));
    copyFileSync('/usr/bin/sleep', `${dir}/sleep-on-mount`);
    const byCwd = lab.holder(['sleep', '600'], dir);
    // Spawned while this test holds the file open: Node opens with O_CLOEXEC, so this one never has it.
    const notHolding = (() => {
      const f = openSync(`${dir}/data.txt`, 'r');
      const c = lab.holder(['sleep', '600'], '/');
      closeSync(f);
      return c;
    })();
    const f2 = openSync(`${dir}/data.txt`, 'r');
    const byFdStdin = spawn('sleep', ['600'], { cwd: '/', stdio: [f2, 'ignore', 'ignore'], detached: true });
    closeSync(f2);
    // A mapping and nothing else: libc mmap through ctypes, then the fd closed (Python's mmap module keeps a dup).
    const byMmap = await pyHolder([
      'import ctypes, os',
      'libc = ctypes.CDLL(None, use_errno=True)',
      'libc.mmap.restype = ctypes.c_void_p',
      'libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]',
      `fd = os.open(${JSON.stringify(`${dir}/mapped.bin`)}, os.O_RDONLY)`,
      'addr = libc.mmap(None, 8192, 1, 1, fd, 0)',
      'assert addr not in (None, ctypes.c_void_p(-1).value)',
      'os.close(fd)',
      "os.chdir('/')",
    ].join('\n'), 'mmap');
    const byExe = lab.holder([`${dir}/sleep-on-mount`, '600'], '/');
    const parentUser = lab.holder(['sleep', '600'], parent);
    await tick(200);
    try {
      const t0 = Date.now();
      const r = call('hakit', 'stop', p, { OCF_RESKEY_CRM_meta_timeout: '20000' });
      const ms = Date.now() - t0;
      await tick(300);
      expect(r.code).toBe(0);
      expect(mountedAt(dir)).toEqual([]);
      expect(ms).toBeLessThan(20_000);
      expect({ cwd: dead(byCwd), fdStdin: byFdStdin.signalCode, mmap: dead(byMmap), exe: dead(byExe) })
        .toEqual({ cwd: true, fdStdin: 'SIGTERM', mmap: true, exe: true });
      expect(r.stderr).toMatch(/sending SIGTERM to \d+ \(sleep: fd 0\)/);
      expect(r.stderr).toMatch(/\(python3: mmap\)/);
      expect(r.stderr).toMatch(/\(sleep-on-mount: exe, mmap\)/);
      expect(r.stderr).toMatch(/\(sleep: cwd\)/);
      expect(dead(parentUser)).toBe(false);
      expect(dead(notHolding)).toBe(false);
      expect(mountedAt(parent)).toEqual(['hk-fs-parent']);
      expect(sh('debugfs', '-R', 'cat /data.txt', img)).toBe('written through the mount\n');
    } finally {
      byFdStdin.kill('SIGKILL');
      trySh('umount', dir);
      trySh('umount', parent);
    }
  });

  it('a process that ignores SIGTERM dies in the KILL phase, and the stop fits in CRM_meta_timeout', async () => {
    const { dev } = lab.loop('busy2', 'ext4');
    const dir = `${lab.root}/busy2-mnt`;
    const p = { device: dev, directory: dir, fstype: 'ext4' };
    expect(call('hakit', 'start', p).code).toBe(0);
    const stubborn = await pyHolder(`import os, signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nos.chdir(${JSON.stringify(dir)})`, 'stubborn');
    const t0 = Date.now();
    const r = call('hakit', 'stop', p, { OCF_RESKEY_CRM_meta_timeout: '8000' });
    const ms = Date.now() - t0;
    await tick(300);
    expect(r.code).toBe(0);
    expect(ms).toBeLessThan(8000);
    expect(ms).toBeGreaterThan(2000); // the TERM phase took its half first
    expect(stubborn.signalCode).toBe('SIGKILL');
    expect(mountedAt(dir)).toEqual([]);
  });

  it('term_signals/signal_delay: the listed signals are sent in the first phase, and the stop moves on at once', async () => {
    const { dev } = lab.loop('busy6', 'ext4');
    const dir = `${lab.root}/busy6-mnt`;
    const p = { device: dev, directory: dir, fstype: 'ext4', term_signals: 'TERM HUP', signal_delay: '0.5' };
    expect(call('hakit', 'start', p).code).toBe(0);
    const h = await pyHolder(`import os, signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nos.chdir(${JSON.stringify(dir)})`, 'hup');
    const t0 = Date.now();
    const r = call('hakit', 'stop', p, { OCF_RESKEY_CRM_meta_timeout: '20000' });
    const ms = Date.now() - t0;
    await tick(300);
    expect(r.code).toBe(0);
    expect(h.signalCode).toBe('SIGHUP');
    expect(ms).toBeLessThan(5000); // not the 9 s of a TERM phase
    expect(r.stderr).not.toMatch(/SIGKILL/);
  });

  it('20 holders: all gone, an unrelated process survives', async () => {
    const { dev } = lab.loop('busy3', 'ext4');
    const dir = `${lab.root}/busy3-mnt`;
    const p = { device: dev, directory: dir, fstype: 'ext4' };
    expect(call('hakit', 'start', p).code).toBe(0);
    const holders = Array.from({ length: 20 }, () => lab.holder(['sleep', '600'], dir));
    const bystander = lab.holder(['sleep', '600'], lab.root);
    await tick(200);
    expect(call('hakit', 'stop', p).code).toBe(0);
    await tick(300);
    expect(holders.filter((h) => !dead(h)).length).toBe(0);
    expect(dead(bystander)).toBe(false);
  });

  it('force_unmount=false signals nothing and fails (1) rather than report a busy mount stopped', async () => {
    const { dev } = lab.loop('busy4', 'ext4');
    const dir = `${lab.root}/busy4-mnt`;
    const p = { device: dev, directory: dir, fstype: 'ext4', force_unmount: 'false' };
    expect(call('hakit', 'start', p).code).toBe(0);
    const h = lab.holder(['sleep', '600'], dir);
    await tick(200);
    const r = call('hakit', 'stop', p, { OCF_RESKEY_CRM_meta_timeout: '3000' });
    await tick(100);
    expect(r.code).toBe(1);
    expect(r.reason).toMatch(/couldn't unmount/);
    expect(dead(h)).toBe(false);
    expect(mountedAt(dir)).toEqual([dev]);
    h.kill('SIGKILL');
    await tick(200);
    expect(call('hakit', 'stop', p).code).toBe(0);
  });

  it('force_unmount=move moves the mount aside, then unmounts it there', async () => {
    const { dev } = lab.loop('busy5', 'ext4');
    const dir = `${lab.root}/busy5-mnt`;
    const p = { device: dev, directory: dir, fstype: 'ext4', force_unmount: 'move' };
    expect(call('hakit', 'start', p).code).toBe(0);
    const h = lab.holder(['sleep', '600'], dir);
    await tick(200);
    const r = call('hakit', 'stop', p);
    await tick(200);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/moved .* to \/run\/resource-agents\/hakit-Filesystem-move/);
    expect(dead(h)).toBe(true);
    expect(mountedAt(dir)).toEqual([]);
    expect(sh('cat', '/proc/self/mountinfo')).not.toContain(dev);
  });
});

describe('bind mounts', () => {
  it('stop of one bind mount kills only its users: not those of another bind mount of the same source, nor of the source', async () => {
    const { dev } = lab.loop('bind', 'xfs');
    const src = lab.dir('bind-src');
    sh('mount', dev, src);
    mkdirSync(`${src}/data`);
    const b1 = `${lab.root}/bind-b1`;
    const b2 = lab.dir('bind-b2');
    const p = { device: `${src}/data`, directory: b1, fstype: 'none', options: 'bind' };
    expect(call('hakit', 'start', p).code).toBe(0);
    sh('mount', '--bind', `${src}/data`, b2);
    expect(call('hakit', 'monitor', p, { OCF_RESKEY_CRM_meta_interval: '10000' }).code).toBe(0);
    const inB1 = lab.holder(['sleep', '600'], b1);
    const inB2 = lab.holder(['sleep', '600'], b2);
    const inSrc = lab.holder(['sleep', '600'], `${src}/data`);
    await tick(200);
    try {
      const r = call('hakit', 'stop', p);
      await tick(300);
      expect(r.code).toBe(0);
      expect({ b1: dead(inB1), b2: dead(inB2), src: dead(inSrc) }).toEqual({ b1: true, b2: false, src: false });
      expect(mountedAt(b1)).toEqual([]);
      expect(mountedAt(b2)).toEqual([dev]);
      expect(mountedAt(src)).toEqual([dev]);
    } finally {
      trySh('umount', b2);
      trySh('umount', src);
    }
  });

  it('a bind mount whose source is on / (upstream #1304): only its own users die; bind,ro is read-only', async () => {
    const src = lab.dir('rootsrc');
    const dir = `${lab.root}/rootbind`;
    const p = { device: src, directory: dir, fstype: 'none', options: 'bind,ro' };
    expect(call('hakit', 'start', p).code).toBe(0);
    expect(sh('findmnt', '-n', '-o', 'OPTIONS', dir).split(',')[0]).toBe('ro');
    expect(sh('findmnt', '-n', '-o', 'OPTIONS', '/').split(',')[0]).toBe('rw'); // only the bind mount changed
    const mine = lab.holder(['sleep', '600'], dir);
    const onRoot = lab.holder(['sleep', '600'], src);
    const elsewhere = lab.holder(['sleep', '600'], '/tmp');
    await tick(200);
    const r = call('hakit', 'stop', p);
    await tick(300);
    expect(r.code).toBe(0);
    expect({ mine: dead(mine), onRoot: dead(onRoot), elsewhere: dead(elsewhere) }).toEqual({ mine: true, onRoot: false, elsewhere: false });
    expect(r.stderr.match(/sending SIGTERM/g)?.length).toBe(1);
  });
});

describe('what stop unmounts', () => {
  it('mounts below the mount point (deepest first, busy ones too), then other mounts of the same device, then the mount point', async () => {
    const { dev } = lab.loop('order', 'btrfs');
    const dir = `${lab.root}/order-mnt`;
    const p = { device: dev, directory: dir, fstype: 'btrfs' };
    expect(call('hakit', 'start', p).code).toBe(0);
    mkdirSync(`${dir}/a`);
    sh('mount', '-t', 'tmpfs', 'hk-fs-a', `${dir}/a`);
    mkdirSync(`${dir}/a/b`);
    sh('mount', '-t', 'tmpfs', 'hk-fs-b', `${dir}/a/b`);
    mkdirSync(`${dir}/export`);
    const elsewhere = lab.dir('order-elsewhere');
    sh('mount', '--bind', `${dir}/export`, elsewhere);
    const inB = lab.holder(['sleep', '600'], `${dir}/a/b`);
    const inElsewhere = lab.holder(['sleep', '600'], elsewhere);
    const bystander = lab.holder(['sleep', '600'], lab.root);
    await tick(200);
    const r = call('hakit', 'stop', p);
    await tick(300);
    expect(r.code, r.stderr).toBe(0);
    const order = [...r.stderr.matchAll(/INFO: unmounted (\S+)/g)].map((m) => m[1]);
    expect(order).toEqual([`${dir}/a/b`, `${dir}/a`, elsewhere, dir]);
    expect({ inB: dead(inB), inElsewhere: dead(inElsewhere), bystander: dead(bystander) }).toEqual({ inB: true, inElsewhere: true, bystander: false });
    expect(mountedAt(dir)).toEqual([]);
    expect(mountedAt(elsewhere)).toEqual([]);
  });

  it('run_fsck=force runs fsck before mounting', () => {
    const { dev } = lab.loop('fsck', 'ext4');
    const p = { device: dev, directory: `${lab.root}/fsck-mnt`, fstype: 'ext4', run_fsck: 'force' };
    const r = call('hakit', 'start', p);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/starting filesystem check on/);
    expect(call('hakit', 'stop', p).code).toBe(0);
    // a filesystem fsck cannot repair without help (rc 4): start fails with 1
    sh('debugfs', '-w', '-R', 'ssv inodes_count 1', dev);
    const bad = call('hakit', 'start', p);
    expect(bad.code).toBe(1);
    expect(bad.reason).toMatch(/fsck/);
    expect(mountedAt(p.directory)).toEqual([]);
  });
});
