// What the upstream agent knows about filesystem types, as pure lookups.

// Types that never live on a local block device of their own (no fsck, no raw read, no device wait).
const NOT_BLOCK = new Set(['nfs4', 'nfs', 'efs', 'smbfs', 'cifs', 'none', 'glusterfs', 'ceph', 'tmpfs', 'overlay',
  'overlayfs', 'rozofs', 'zfs', 'cvfs', 'lustre']);
// Network filesystems: `umount -f` is worth trying, O_DIRECT is not available, the status file is left alone on stop.
const NETWORK = new Set(['nfs4', 'nfs', 'efs', 'cifs', 'smbfs']);
// Types fsck is never run for under run_fsck=auto (journalled, network or virtual).
const NO_FSCK = new Set(['ext4', 'ext4dev', 'ext3', 'reiserfs', 'reiser4', 'nss', 'xfs', 'jfs', 'vfat', 'fat', 'nfs4',
  'nfs', 'efs', 'cifs', 'smbfs', 'ocfs2', 'gfs2', 'none', 'lustre', 'glusterfs', 'ceph', 'tmpfs', 'overlay', 'overlayfs',
  'rozofs', 'zfs', 'cvfs']);
// Types that may be mounted on several nodes at once (cluster-aware, network or read-only by nature).
const CLUSTER_SAFE = new Set(['nfs4', 'nfs', 'efs', 'smbfs', 'cifs', 'none', 'gfs2', 'glusterfs', 'ceph', 'ocfs2',
  'overlay', 'overlayfs', 'tmpfs', 'cvfs', 'lustre']);
// Local journalled types that corrupt when mounted twice, even read-only (journal replay): refused as clones.
const NEVER_CLONE = new Set(['ext4', 'ext4dev', 'ext3', 'reiserfs', 'reiser4', 'xfs', 'jfs']);

// Whether the type is one that has no block device of its own.
export const isNonBlockType = (fstype: string): boolean => NOT_BLOCK.has(fstype);
// Whether the type is a network filesystem.
export const isNetworkType = (fstype: string): boolean => NETWORK.has(fstype);

// run_fsck policy: force always, no never, auto (and anything else, with a warning upstream) by type.
export const fsckWanted = (runFsck: string, fstype: string): boolean => {
  if (runFsck === 'force') return true;
  if (runFsck === 'no') return false;
  return !NO_FSCK.has(fstype);
};

// The clone guard: 'refuse', 'warn' (allowed: read-only or forced) or 'ok' for a cloned resource.
export const cloneVerdict = (fstype: string, readOnly: boolean, forceClones: boolean): 'refuse' | 'warn' | 'ok' => {
  if (CLUSTER_SAFE.has(fstype)) return 'ok';
  if (NEVER_CLONE.has(fstype)) return forceClones ? 'warn' : 'refuse';
  return readOnly || forceClones ? 'warn' : 'refuse';
};

// The name /proc/filesystems lists for a type: fuse-based types need "fuse", efs needs "nfs4".
export const kernelTypeFor = (fstype: string): string => {
  if (fstype.startsWith('fuse.') || fstype === 'glusterfs' || fstype === 'rozofs') return 'fuse';
  if (fstype === 'efs') return 'nfs4';
  return fstype;
};

// Whether /proc/filesystems (its text) lists a type: the last tab-separated field of a line.
export const kernelSupports = (procFilesystems: string, kernelType: string): boolean =>
  procFilesystems.split('\n').some((l) => l.split('\t').pop()?.trim() === kernelType);
