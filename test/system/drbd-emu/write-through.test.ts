// The emulator's data plane is write-through (protocol C): /dev/drbd0 on the Primary is a loop device over a FUSE
// file served by the emulated kernel, and a write completes only once the peer has it. So a Primary whose kernel is
// SIGKILLed right after `sync` loses nothing; a Secondary's device shows 0 bytes and its FUSE file cannot be opened;
// pages a node cached while Primary are never served after the peer wrote over them; and the loop device of a killed
// kernel goes away with its last user instead of lingering over a dead FUSE connection.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTwoNodes, until, type Node, type TwoNodes } from './two-nodes';

let lab: TwoNodes;
let loopA = '';
const sh = (n: 0 | 1, script: string) => lab.sh(lab.nodes[n], ['sh', '-c', script]);
const adm = (n: 0 | 1, ...a: string[]) => lab.sh(lab.nodes[n], ['drbdadm', ...a]);
const state = (n: 0 | 1, what: 'cstate' | 'dstate' | 'role') => adm(n, what, 'r0').stdout.trim();
const fuseFile = (n: Node) => `${n.run}/r0.fuse/drbd-r0`;

// The emulated kernel's process of a node (its netns holds only that node's processes).
const kernelPid = (n: Node): number => {
  for (const pid of spawnSync('ip', ['netns', 'pids', n.ns], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)) {
    try { if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').some((a) => a.endsWith('hakit-drbd-kernel'))) return Number(pid); } catch { /* gone */ }
  }
  return -1;
};
// A command in the emulated kernel's own mount namespace (where its FUSE file is mounted).
const inKernel = (n: Node, cmd: string[]) => spawnSync('nsenter', ['-t', String(kernelPid(n)), '-m', ...cmd], { encoding: 'utf8' });
// The loop device behind a node's /dev/drbd0 and the file it is bound to (sysfs; '' when it is not bound).
const drbdLoop = (n: 0 | 1): string => `loop${parseInt(sh(n, 'stat -c %T /dev/drbd0').stdout.trim(), 16)}`;
const backingOf = (loop: string): string => { try { return readFileSync(`/sys/block/${loop}/loop/backing_file`, 'utf8').trim(); } catch { return ''; } };
const logs = (): string => lab.nodes.map((n) => { try { return readFileSync(`${n.run}/r0.log`, 'utf8'); } catch { return ''; } }).join('\n----\n');

describe('emulated DRBD data plane: write-through replication', () => {
  beforeAll(async () => {
    lab = await createTwoNodes();
    for (const n of [0, 1] as const) expect(adm(n, 'create-md', '--force', 'r0').rc).toBe(0);
    // started the way the upstream agent is run (hakit-drbd-proc --exec: a child mount namespace the kernel daemon
    // would otherwise be the last member of, with the node's later mounts propagated into it)
    for (const n of [0, 1] as const) { const u = lab.sh(lab.nodes[n], ['hakit-drbd-proc', '--exec', 'drbdadm', 'up', 'r0']); expect(u.rc, u.stderr + logs()).toBe(0); }
    await until('connected', () => state(1, 'cstate') === 'Connected');
    expect(adm(0, 'primary', '--force', 'r0').rc).toBe(0);
    await until('initial sync done', () => state(1, 'dstate') === 'UpToDate/UpToDate', 60_000);
  });
  afterAll(() => lab?.destroy());

  it('the device is a loop device over the kernel\'s FUSE file; the Secondary\'s shows 0 bytes and its FUSE file refuses to open', () => {
    expect(backingOf(drbdLoop(0)), logs()).toBe(fuseFile(lab.nodes[0]));
    expect(sh(0, 'blockdev --getsize64 /dev/drbd0').stdout.trim()).toBe(inKernel(lab.nodes[0], ['stat', '-c', '%s', fuseFile(lab.nodes[0])]).stdout.trim());
    expect(backingOf(drbdLoop(1))).toBe(fuseFile(lab.nodes[1])); // bound for the whole attachment, whatever the role
    expect(sh(1, 'blockdev --getsize64 /dev/drbd0').stdout.trim()).toBe('0');
    expect(inKernel(lab.nodes[1], ['stat', '-c', '%s', fuseFile(lab.nodes[1])]).stdout.trim()).toBe('0');
    expect(sh(1, 'mount -o ro /dev/drbd0 /mnt').rc).not.toBe(0);
    expect(sh(1, 'dd if=/dev/drbd0 bs=4096 count=1 2>/dev/null | wc -c').stdout.trim()).toBe('0'); // nothing to read
    expect(sh(1, 'echo x | dd of=/dev/drbd0 2>&1').stdout).toMatch(/No space left on device/); // nor to write
    const direct = inKernel(lab.nodes[1], ['losetup', '-f', '--show', fuseFile(lab.nodes[1])]); // reaching the data around the device
    expect(direct.status).not.toBe(0);
    expect(direct.stderr).toMatch(/Wrong medium type/);
  });

  it('no stale page: A cached X as Primary, B overwrote it with Y, A Primary again reads Y (device and filesystem)', async () => {
    // a file in a filesystem, then a raw block written and read through the device's page cache (buffered I/O); read
    // back block first: mounting and unmounting ext4 drops the device's cached pages, which would hide a stale block
    const put = (n: 0 | 1, v: string) => sh(n, `mkdir -p /mnt/s && mount /dev/drbd0 /mnt/s && printf ${v} > /mnt/s/f && cat /mnt/s/f && umount /mnt/s` +
      ` && printf ${v}%.0s $(seq 4096) | dd of=/dev/drbd0 bs=4096 seek=1000 count=1 conv=notrunc,fsync 2>/dev/null && dd if=/dev/drbd0 bs=4096 skip=1000 count=1 2>/dev/null | head -c 8`);
    const get = (n: 0 | 1) => sh(n, 'dd if=/dev/drbd0 bs=4096 skip=1000 count=1 2>/dev/null | head -c 8 && mkdir -p /mnt/s && mount /dev/drbd0 /mnt/s && cat /mnt/s/f && umount /mnt/s');
    const swap = async (from: 0 | 1, to: 0 | 1) => {
      expect(adm(from, 'secondary', 'r0').rc).toBe(0);
      expect(adm(to, 'primary', 'r0').rc).toBe(0);
    };
    expect(sh(0, 'mkfs.ext4 -q /dev/drbd0').rc).toBe(0);
    expect(put(0, 'X').stdout).toBe('XXXXXXXXX'); // A's last read of the block: left in its device's page cache
    await swap(0, 1);
    expect(get(1).stdout).toBe('XXXXXXXXX');
    expect(put(1, 'Y').stdout).toBe('YYYYYYYYY');
    await swap(1, 0);
    const a = get(0);
    expect(a.stdout, a.stderr).toBe('YYYYYYYYY');
  });

  it('a Primary whose kernel is SIGKILLed right after sync: the peer has every byte', async () => {
    const w = sh(0, 'mkfs.ext4 -q /dev/drbd0 && mkdir -p /mnt/r0 && mount /dev/drbd0 /mnt/r0 && head -c 6000000 /dev/urandom > /mnt/r0/data && sync && sha256sum /mnt/r0/data');
    const pid = kernelPid(lab.nodes[0]);
    loopA = drbdLoop(0);
    process.kill(pid, 'SIGKILL'); // immediately: no time for a background copy to catch up
    expect(w.rc, w.stderr).toBe(0);
    expect(pid).toBeGreaterThan(0);
    const sum = w.stdout.split(' ')[0];
    await until('peer sees the Primary gone', () => state(1, 'cstate') === 'WFConnection');
    expect(state(1, 'dstate')).toBe('UpToDate/DUnknown');
    const p = adm(1, 'primary', 'r0');
    expect(p.rc, p.stderr).toBe(0);
    const r = sh(1, 'mkdir -p /mnt/r0 && mount /dev/drbd0 /mnt/r0 && sha256sum /mnt/r0/data');
    expect(r.stderr).toBe('');
    expect(r.stdout.split(' ')[0]).toBe(sum);
    // writes on the survivor (now disconnected) are local and counted out of sync
    expect(sh(1, 'echo after > /mnt/r0/after && sync').rc).toBe(0);
    await until('survivor counts out-of-sync blocks', () => /oos:[1-9]/.test(sh(1, 'cat "$HAKIT_DRBD_RUN/proc-drbd"').stdout));
  });

  it('the killed kernel\'s loop device goes away with its last user (no loop device over a dead FUSE file)', async () => {
    expect(backingOf(loopA)).toMatch(/drbd-r0$/); // still mounted by ext4 on the node whose kernel died
    expect(sh(0, 'umount /mnt/r0').rc).toBe(0);
    await until('autoclear detached it', () => !backingOf(loopA).endsWith('drbd-r0'), 10_000);
  });

  it('a power cut of a Primary with a mounted filesystem: the node\'s processes end and its loop device goes away', async () => {
    const loopB = drbdLoop(1);
    expect(backingOf(loopB)).toBe(fuseFile(lab.nodes[1]));
    lab.crash(lab.nodes[1]); // every process at once; the filesystem is unmounted by the mount namespace's teardown
    // a FUSE server that took part in that teardown would wait for itself forever (D state) and the loop would stay
    await until('loop device detached', () => !backingOf(loopB).endsWith('drbd-r0'), 15_000);
  });
});
