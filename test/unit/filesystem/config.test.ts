import { describe, expect, it } from 'vitest';
import { buildConfig, normaliseDirectory, statusFileName } from '../../../agents/filesystem/config';
import { canonicalMountpoint, splitDev, type PathOps } from '../../../agents/filesystem/host';
import { params } from '../../../agents/filesystem/params';
import { parseMountinfo } from '../../../agents/filesystem/parse-mountinfo';
import { unmountOrder } from '../../../agents/filesystem/stop';
import { ConfigError, GenericError, readParams } from '../../../src/ocf/index';

const paramsOf = (env: Record<string, string | undefined>) =>
  readParams(params, Object.fromEntries(Object.entries(env).map(([k, v]) => [`OCF_RESKEY_${k}`, v]))).params;

describe('buildConfig', () => {
  const base = { device: '/dev/loop7', directory: '/mnt/x//', fstype: 'ext4' };
  it('normalises and applies upstream defaults', () => {
    const c = buildConfig(paramsOf(base), () => {});
    expect(c).toMatchObject({ directory: '/mnt/x', source: '/dev/loop7', forceUnmount: 'true', runFsck: 'auto', fastStop: false,
      signalDelayMs: 1000, statusPrefix: '.Filesystem_status/', isBind: false, nonBlockByType: false });
    expect(c.termSignals.map((s) => s.name)).toEqual(['SIGTERM']);
    expect(c.killSignals.map((s) => s.name)).toEqual(['SIGKILL']);
  });
  it('recognises bind mounts and network types', () => {
    expect(buildConfig(paramsOf({ ...base, fstype: 'none', options: 'bind,ro' }), () => {}).isBind).toBe(true);
    expect(buildConfig(paramsOf({ ...base, fstype: 'nfs', device: 'srv:/e' }), () => {}).isNetwork).toBe(true);
    expect(buildConfig(paramsOf({ ...base, options: 'loop' }), () => {}).nonBlockByType).toBe(true);
  });
  it('never fast-stops gfs2', () => {
    expect(buildConfig(paramsOf({ ...base, fstype: 'gfs2', fast_stop: 'yes' }), () => {}).fastStop).toBe(false);
    expect(buildConfig(paramsOf({ ...base, fast_stop: 'yes' }), () => {}).fastStop).toBe(true);
  });
  it('warns and uses auto for an unknown run_fsck', () => {
    const w: string[] = [];
    expect(buildConfig(paramsOf({ ...base, run_fsck: 'sometimes' }), (m) => w.push(m)).runFsck).toBe('auto');
    expect(w[0]).toMatch(/run_fsck/);
  });
  it.each([
    { directory: 'relative/dir' }, { directory: ' /mnt/x' }, { directory: '/mnt/x ' }, { fstype: '../../tmp/x' },
    { fstype: 'ext4;touch' }, { device: '-o exec' }, { term_signals: 'TERM $(reboot)' }, { signal_delay: '1; id' },
    { statusfile_prefix: '../../etc/' }, { statusfile_prefix: '/abs/' }, { force_unmount: 'maybe' },
    { options: 'ro\nrw' }, { directory: `/${'a'.repeat(100_000)}` },
  ])('refuses %j with a ConfigError', (bad) => {
    expect(() => buildConfig(paramsOf({ ...base, ...bad }), () => {})).toThrow(ConfigError);
  });
  it('stop (lenient) falls back to defaults for optional settings but not for device/directory', () => {
    const w: string[] = [];
    const c = buildConfig(paramsOf({ ...base, term_signals: 'NOPE', force_unmount: 'maybe', signal_delay: 'x' }), (m) => w.push(m), true);
    expect(c.termSignals[0]?.name).toBe('SIGTERM');
    expect(c.forceUnmount).toBe('safe');
    expect(w.length).toBe(3);
    expect(() => buildConfig(paramsOf({ ...base, directory: 'rel' }), () => {}, true)).toThrow(ConfigError);
  });
  it('normalises the directory', () => {
    expect(normaliseDirectory('/a/b///')).toBe('/a/b');
    expect(normaliseDirectory('///')).toBe('/');
  });
  it('names the status file as upstream does', () => {
    expect(statusFileName('/mnt/x', '.Filesystem_status/', 'fs1', undefined, 'node1')).toBe('/mnt/x/.Filesystem_status/fs1_node1');
    expect(statusFileName('/mnt/x', 'st-', 'fs1:0', '2', 'n')).toBe('/mnt/x/st-fs1:0_2_n');
    expect(statusFileName('/mnt/x', '', '../x', undefined, 'n')).toBe('/mnt/x/.._x_n');
  });
});

describe('canonicalMountpoint', () => {
  const err = (code: string) => Object.assign(new Error(code), { code });
  const ops = (real: Record<string, string | string[]>, dirs: string[]): PathOps => ({
    realpath: (p) => {
      const r = real[p];
      if (r === undefined) throw err('ENOENT');
      if (Array.isArray(r)) throw err(r[0] ?? 'EIO');
      return r;
    },
    lstat: (p) => ({ isDirectory: () => dirs.includes(p), isSymbolicLink: () => false }),
  });
  it('resolves symlinks and keeps a missing path as given', () => {
    expect(canonicalMountpoint('/data', ops({ '/data': '/srv/data' }, []))).toEqual({ path: '/srv/data' });
    expect(canonicalMountpoint('/nope', ops({}, []))).toEqual({ path: '/nope' });
  });
  it('on an I/O error of the mount point itself, resolves the parent and flags it', () => {
    expect(canonicalMountpoint('/mnt/lun', ops({ '/mnt/lun': ['EIO'], '/mnt': '/mnt' }, ['/mnt/lun']))).toEqual({ path: '/mnt/lun', fallback: 'EIO' });
  });
  it('throws (never "not mounted") when the I/O error cannot be worked around', () => {
    expect(() => canonicalMountpoint('/mnt/lun', ops({ '/mnt/lun': ['EIO'], '/mnt': ['EIO'] }, ['/mnt/lun']))).toThrow(GenericError);
    expect(() => canonicalMountpoint('/mnt/lun', ops({ '/mnt/lun': ['ESTALE'] }, []))).toThrow(GenericError);
  });
});

describe('unmountOrder', () => {
  const table = parseMountinfo([
    '27 1 254:0 / / rw - ext4 /dev/vda rw',
    '90 27 7:3 / /srv/fs rw - ext4 /dev/loop3 rw',
    '91 90 0:50 / /srv/fs/a rw - tmpfs tmpfs rw',
    '92 91 0:51 / /srv/fs/a/b rw - tmpfs tmpfs rw',
    '93 27 7:3 /export /srv/nfs-export rw - ext4 /dev/loop3 rw',
    '94 93 0:52 / /srv/nfs-export/in rw - tmpfs tmpfs rw',
    '95 27 7:4 / /srv/other rw - ext4 /dev/loop4 rw',
    '96 27 0:60 / /srv/fsx rw - tmpfs tmpfs rw',
    '97 27 7:3 / /mnt/top rw - ext4 /dev/loop3 rw',
    '98 97 7:3 / /mnt/top/inner rw - ext4 /dev/loop3 rw',
  ].join('\n'));
  const mine = table.find((e) => e.id === 90)!;
  it('unmounts below first (deepest first), then other mounts of the device, then the mount point', () => {
    expect(unmountOrder(table, mine, true).map((e) => e.id)).toEqual([92, 91, 94, 93, 98, 97, 90]);
  });
  it('never unmounts a mount of the same device that sits above the mount point', () => {
    const inner = table.find((e) => e.id === 98)!;
    expect(unmountOrder(table, inner, true).map((e) => e.id)).toEqual([92, 91, 90, 94, 93, 98]);
  });
  it('leaves other mounts of the same source alone for a bind mount', () => {
    expect(unmountOrder(table, mine, false).map((e) => e.id)).toEqual([92, 91, 90]);
  });
});

describe('splitDev', () => {
  it('splits Linux device numbers', () => {
    expect(splitDev(0x0703n)).toEqual({ major: 7, minor: 3 });
    expect(splitDev(0x10301n)).toEqual({ major: 259, minor: 1 });
    expect(splitDev(0x12300845n)).toEqual({ major: 8, minor: 0x12345 });
  });
});
