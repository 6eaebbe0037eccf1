import { defineAgent } from '../../src/ocf/index';
import { monitorAction, startAction, stopAction, validate, validateAll } from './actions';
import { params } from './params';

// ocf:hakit:Filesystem, a drop-in for ocf:heartbeat:Filesystem (resource-agents 4.12 parameters plus HEAD's).
export const spec = defineAgent({
  name: 'Filesystem',
  version: '1.0.0',
  shortdesc: 'Manages filesystem mounts (drop-in for ocf:heartbeat:Filesystem)',
  longdesc:
    'Mounts a filesystem on start and unmounts it on stop: a block device (ext4, xfs, btrfs...), a network ' +
    'filesystem (nfs, cifs), a cluster filesystem (gfs2, ocfs2, as a clone) or a bind mount (fstype=none). ' +
    'Monitor depth 0 checks that the device is mounted on the mount point (read from /proc/self/mountinfo, ' +
    'nothing spawned); depth 10 reads one block of the device with O_DIRECT; depth 20 writes, syncs and reads ' +
    'back a status file in the mount; any other depth is a configuration error. ' +
    'On stop, a plain umount is tried first; while the mount stays busy, the processes that use exactly this ' +
    'mount (open files, working or root directory, executable, memory maps; found in /proc without touching ' +
    'the filesystem) get term_signals during the first half of the time left and kill_signals during the ' +
    'second half. Mounts below the mount point go first (deepest first), then other mounts of the same device. ' +
    'Differences from ocf:heartbeat:Filesystem: force_unmount=true no longer uses "fuser -m" (which also hit ' +
    'users of other mounts of the same filesystem and, for bind mounts, of the whole root filesystem): true and ' +
    'safe both signal the users of exactly this mount; a different device on the mount point is reported ' +
    '(monitor 1, probe 7) and left alone by stop; start refuses it; a missing helper program (modprobe, fuser, ' +
    'fsck) never blocks a stop; a mount point that cannot be resolved because of an I/O error is never reported ' +
    'as stopped; probes never return 6 (a missing device parameter is "not running"); something mounted below ' +
    'the mount point makes start fail with 1 (upstream 6, fatal) and only when the filesystem is not mounted ' +
    'already; force_clones allows every type; bind remounts use "remount,bind" so only the bind mount changes.',
  params,
  actions: {
    start: { timeout: 60, validate: true, run: startAction },
    stop: { timeout: 60, tolerant: true, run: stopAction },
    monitor: { timeout: 40, meta: [{ interval: 20, depth: 0, timeout: 40 }], run: monitorAction },
    status: { timeout: 40, hidden: true, run: monitorAction },
    'validate-all': { timeout: 5, validate: true, run: validateAll },
  },
  validate,
});
