import { p } from '../../src/ocf/index';

// The parameters of ocf:heartbeat:Filesystem (4.12 plus HEAD's signal settings and force_unmount=move), same names,
// same defaults, same meaning.
export const params = {
  device: p.string({
    required: true,
    shortdesc: 'block device',
    longdesc:
      'The block device to mount (/dev/drbd0), a tag (-U uuid, -L label, --uuid=, --label=, UUID=, LABEL=), an NFS ' +
      'export (host:/export), a CIFS share (//server/share) or, with fstype=none, the directory to bind-mount.',
  }),
  directory: p.string({
    required: true,
    shortdesc: 'mount point',
    longdesc:
      'The mount point: an absolute path, trailing "/" ignored, symbolic links resolved. Created (mkdir -p) on start. ' +
      'A path that resolves to "/" is refused.',
  }),
  fstype: p.string({
    shortdesc: 'filesystem type',
    longdesc:
      'The filesystem type, passed to mount -t (ext4, xfs, btrfs, nfs, cifs, gfs2, ...). "none" makes a bind mount. ' +
      'Empty lets mount detect the type. It decides the fsck policy, whether the device is a block device, whether ' +
      'the resource may be cloned, and whether "umount -f" is tried.',
  }),
  options: p.string({
    shortdesc: 'mount options',
    longdesc:
      'Options passed to mount -o, e.g. "noatime,nodiratime". With "bind" (fstype=none) any further option ' +
      '("bind,ro") is applied by a bind remount afterwards, which makes read-only bind mounts work.',
  }),
  statusfile_prefix: p.string({
    default: '.Filesystem_status/',
    shortdesc: 'status file prefix',
    longdesc:
      'Where, inside the mount, the depth-20 monitor writes its status file: <directory>/<prefix><resource>' +
      '[_<clone>]_<node>. The default keeps the files in a separate directory. ".." is not allowed.',
  }),
  run_fsck: p.string({
    default: 'auto',
    shortdesc: 'run_fsck',
    longdesc:
      'Whether to run "fsck -p" before mounting: "auto" (only for types without a journal, e.g. ext2 and unknown ' +
      'types), "force" (always) or "no" (never). Any other value is treated as "auto" with a warning.',
  }),
  fast_stop: p.boolean({
    default: false,
    shortdesc: 'fast stop',
    longdesc:
      'yes: give each (sub)mount at most 6 seconds to lose its users on stop. no: use the whole stop timeout. ' +
      'Defaults to "no" (and is always "no" for gfs2).',
  }),
  force_clones: p.boolean({
    default: false,
    shortdesc: 'allow running as a clone, regardless of filesystem type',
    longdesc:
      'Cloning a local filesystem (ext3/4, xfs, jfs, reiserfs, btrfs...) is refused, as mounting it on several ' +
      'nodes corrupts it. Set to true for special setups (e.g. independent local bricks of glusterfs) only.',
  }),
  force_unmount: p.string({
    default: 'true',
    shortdesc: 'Kill processes before unmount',
    longdesc:
      'What to do with processes that keep the mount busy on stop. "true" and "safe": signal the processes that use ' +
      'exactly this mount (open files, working or root directory, executable, memory maps), found by reading ' +
      '/proc without touching the filesystem itself; "false": signal nothing; "move": first move the mount out of ' +
      'the way (mount --move) so new users cannot reach it, then as "safe". Users of a parent mount, of a ' +
      'different bind mount of the same source, or of other mount namespaces are never signalled.',
  }),
  term_signals: p.string({
    default: 'TERM',
    shortdesc: 'signals of the terminate phase',
    longdesc: 'Signals (names or numbers, whitespace separated) sent to users of the mount during the first half of the stop.',
  }),
  kill_signals: p.string({
    default: 'KILL',
    shortdesc: 'signals of the kill phase',
    longdesc: 'Signals (names or numbers, whitespace separated) sent to users of the mount during the second half of the stop.',
  }),
  signal_delay: p.string({
    default: '1',
    shortdesc: 'seconds to wait after signalling',
    longdesc:
      'How long to wait, at most, for signalled processes to go away before looking again (seconds, decimals ' +
      'allowed). The stop goes on as soon as they are gone.',
  }),
};
