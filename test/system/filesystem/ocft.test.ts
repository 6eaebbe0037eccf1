import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createLab, mountedAt, PROBE, RECURRING, sh, trySh, type Lab, type Which } from './lab';

// The cases of resource-agents' ocft config for Filesystem (tools/ocft/Filesystem) and a few more, on real loop
// devices; hakit on ext4, xfs and btrfs, and the same cases against ocf:heartbeat:Filesystem to record where the
// exit codes differ (docs/filesystem.md lists them).
let lab: Lab;
beforeAll(() => { lab = createLab('ocft'); });
afterAll(() => lab?.destroy());

describe.each(['ext4', 'xfs', 'btrfs'] as const)('hakit lifecycle on %s', (fstype) => {
  it('probe 7, start 0, double start 0, monitor 0/10/20, r/o depth 20 = 1, stop 0, double stop 0, probe 7', () => {
    const { dev } = lab.loop(`life-${fstype}`, fstype);
    const dir = `${lab.root}/life-${fstype}/mnt`; // created by start (mkdir -p)
    const p = { device: dev, directory: `${dir}/`, fstype };
    expect(call('hakit', 'monitor', p, PROBE).code).toBe(7);
    expect(call('hakit', 'start', p).code).toBe(0);
    expect(mountedAt(dir)).toEqual([dev]);
    expect(call('hakit', 'start', p).code).toBe(0);
    expect(mountedAt(dir)).toEqual([dev]);
    expect(call('hakit', 'monitor', p, RECURRING).code).toBe(0);
    expect(call('hakit', 'monitor', p, { ...RECURRING, OCF_CHECK_LEVEL: '10' }).code).toBe(0);
    expect(call('hakit', 'monitor', p, { ...RECURRING, OCF_CHECK_LEVEL: '20' }).code).toBe(0);
    const status = `${dir}/.Filesystem_status/hkfs_${hostname()}`;
    expect(existsSync(status)).toBe(true);
    sh('mount', '-o', 'remount,ro', dir);
    const ro = call('hakit', 'monitor', p, { ...RECURRING, OCF_CHECK_LEVEL: '20' });
    sh('mount', '-o', 'remount,rw', dir);
    expect(ro.code).toBe(1);
    expect(ro.reason).toMatch(/status file/);
    expect(call('hakit', 'monitor', p, { ...RECURRING, OCF_CHECK_LEVEL: '30' }).code).toBe(6);
    expect(call('hakit', 'monitor', p, { ...PROBE, OCF_CHECK_LEVEL: '30' }).code).toBe(0); // a probe never hides a mount
    expect(call('hakit', 'stop', p).code).toBe(0);
    expect(mountedAt(dir)).toEqual([]);
    expect(call('hakit', 'stop', p).code).toBe(0);
    expect(call('hakit', 'monitor', p, PROBE).code).toBe(7);
    expect(call('hakit', 'monitor', p, RECURRING).code).toBe(7);
    // the status file went with the stop
    sh('mount', dev, dir);
    try {
      expect(existsSync(status)).toBe(false);
    } finally {
      sh('umount', dir);
    }
  });
});

// One ocft-style case run against both agents: what each returns, recorded side by side.
interface Case {
  name: string;
  run: (which: Which) => number[];
  hakit: number[];
  heartbeat: number[];
}

describe('ocft cases: hakit vs heartbeat (ext4)', () => {
  let dev = '';
  const mnt = () => `${lab.root}/cmp/mnt`;
  const params = () => ({ device: dev, directory: mnt(), fstype: 'ext4' });
  beforeAll(() => {
    ({ dev } = lab.loop('cmp', 'ext4'));
    mkdirSync(mnt(), { recursive: true });
  });
  const reset = (which: Which) => { call(which, 'stop', params()); trySh('umount', mnt()); };

  const cases: Case[] = [
    { name: 'monitor when not running (probe, recurring)', hakit: [7, 7], heartbeat: [7, 7],
      run: (w) => [call(w, 'monitor', params(), PROBE).code, call(w, 'monitor', params(), RECURRING).code] },
    { name: 'normal start, double start, monitor, normal stop, double stop', hakit: [0, 0, 0, 0, 0], heartbeat: [0, 0, 0, 0, 0],
      run: (w) => [call(w, 'start', params()).code, call(w, 'start', params()).code, call(w, 'monitor', params(), RECURRING).code,
        call(w, 'stop', params()).code, call(w, 'stop', params()).code] },
    { name: 'monitor depth 10 and 20 when running', hakit: [0, 0, 0], heartbeat: [0, 0, 0],
      run: (w) => [call(w, 'start', params()).code, call(w, 'monitor', params(), { ...RECURRING, OCF_CHECK_LEVEL: '10' }).code,
        call(w, 'monitor', params(), { ...RECURRING, OCF_CHECK_LEVEL: '20' }).code] },
    { name: 'monitor depth 20 insert failure (r/o fs)', hakit: [0, 1], heartbeat: [0, 1],
      run: (w) => {
        const s = call(w, 'start', params()).code;
        sh('mount', '-o', 'remount,ro', mnt());
        const m = call(w, 'monitor', params(), { ...RECURRING, OCF_CHECK_LEVEL: '20' }).code;
        sh('mount', '-o', 'remount,rw', mnt());
        return [s, m];
      } },
    { name: 'monitor depth 30 (unsupported) when running', hakit: [0, 6], heartbeat: [0, 6],
      run: (w) => [call(w, 'start', params()).code, call(w, 'monitor', params(), { ...RECURRING, OCF_CHECK_LEVEL: '30' }).code] },
    // ocft detaches the loop device; on a shared machine its name could be taken by someone else meanwhile, so
    // the same state (a block device node with no media behind it) is made with a node of a loop minor nobody uses.
    { name: 'start insert failure (block device without media)', hakit: [1], heartbeat: [1],
      run: (w) => {
        const node = `${lab.root}/gone-dev`;
        if (!existsSync(node)) sh('mknod', node, 'b', '7', String(200 + (process.pid % 50)));
        return [call(w, 'start', { ...params(), device: node }).code];
      } },
    { name: "invalid device (/dev/no_such_device): start, probe, stop", hakit: [5, 7, 0], heartbeat: [5, 7, 0],
      run: (w) => {
        const p = { ...params(), device: '/dev/hk-fs-no_such_device' };
        return [call(w, 'start', p).code, call(w, 'monitor', p, PROBE).code, call(w, 'stop', p).code];
      } },
    { name: 'unset device: start, probe, stop, validate-all', hakit: [6, 7, 0, 6], heartbeat: [6, 6, 6, 6],
      run: (w) => {
        const { device: _d, ...p } = params();
        return [call(w, 'start', p).code, call(w, 'monitor', p, PROBE).code, call(w, 'stop', p).code, call(w, 'validate-all', p).code];
      } },
    { name: 'unimplemented command', hakit: [3], heartbeat: [3], run: (w) => [call(w, 'no_cmd', params()).code] },
    { name: 'ext4 as a clone: start', hakit: [6], heartbeat: [6],
      run: (w) => [call(w, 'start', params(), { OCF_RESKEY_CRM_meta_clone_max: '2', OCF_RESKEY_CRM_meta_clone: '0' }).code] },
    { name: 'a different device on the mount point: start, probe, monitor, stop (still mounted after)', hakit: [1, 7, 1, 0, 1], heartbeat: [0, 0, 0, 0, 0],
      run: (w) => {
        sh('mount', '-t', 'tmpfs', 'hk-fs-other', mnt());
        const codes = [call(w, 'start', params()).code, call(w, 'monitor', params(), PROBE).code, call(w, 'monitor', params(), RECURRING).code,
          call(w, 'stop', params()).code];
        codes.push(mountedAt(mnt()).includes('hk-fs-other') ? 1 : 0);
        trySh('umount', mnt());
        return codes;
      } },
    { name: 'something mounted below the (unmounted) mount point: start', hakit: [1], heartbeat: [6],
      run: (w) => {
        mkdirSync(`${mnt()}/below`, { recursive: true });
        sh('mount', '-t', 'tmpfs', 'hk-fs-below', `${mnt()}/below`);
        try {
          return [call(w, 'start', params()).code];
        } finally {
          trySh('umount', `${mnt()}/below`);
        }
      } },
    { name: 'a filesystem type the kernel does not have (modprobe fails): start', hakit: [5], heartbeat: [5],
      run: (w) => [call(w, 'start', { ...params(), fstype: 'hkfsnosuchfs' }).code] },
    { name: 'validate-all with good parameters', hakit: [0], heartbeat: [0], run: (w) => [call(w, 'validate-all', params()).code] },
  ];

  it.each(cases)('$name', (c) => {
    const got: Record<Which, number[]> = { hakit: [], heartbeat: [] };
    for (const w of ['hakit', 'heartbeat'] as const) {
      reset(w);
      got[w] = c.run(w);
      reset(w);
    }
    expect(got).toEqual({ hakit: c.hakit, heartbeat: c.heartbeat });
  });

  it('a directory that resolves to / is refused by start (6), probe says 7, stop 0 without touching /', () => {
    const link = `${lab.root}/to-root`;
    symlinkSync('/', link);
    const p = { device: dev, directory: link, fstype: 'ext4' };
    expect(call('hakit', 'start', p).code).toBe(6);
    expect(call('hakit', 'monitor', p, PROBE).code).toBe(7);
    expect(call('hakit', 'monitor', p, RECURRING).code).toBe(6);
    expect(call('hakit', 'stop', p).code).toBe(0);
    expect(call('hakit', 'start', { ...p, directory: '//' }).code).toBe(6);
  });
});
