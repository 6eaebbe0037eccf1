// The node's PID 1: a tiny init run by `unshare` in the node's network namespace. It mounts a fresh /sys, its own
// /dev (a tmpfs with the basic devices and the loop devices: the DRBD emulator's /dev/drbdN stay per node; the
// node's disks /dev/hkl-disk and /dev/hkl-local when it has them) and
// /dev/shm, binds the node's own copies of the state/config directories, then sets the hostname, signals ready
// and reaps orphans forever. SIGKILL of it from the host kills every process of the node (a power cut).
// Arguments: NODE_DIR HOSTNAME [SRC DST]... (pairs, bound in order; SRC relative to NODE_DIR unless absolute).
export const NODE_INIT_SCRIPT = `set -e
d=$1; h=$2; shift 2
umount -R -l /sys; umount -R -l /dev
mount -t sysfs sysfs /sys
mount -t tmpfs -o mode=755,size=16m hkl-dev /dev
cd /dev
disk=; if [ -s "$d/disk.loop" ]; then read -r disk < "$d/disk.loop"; fi
loc=; if [ -s "$d/local.loop" ]; then read -r loc < "$d/local.loop"; fi
python3 -c '
import os, stat, sys
os.umask(0)
c = lambda n, ma, mi, m=0o666: os.mknod(n, stat.S_IFCHR | m, os.makedev(ma, mi))
b = lambda n, mi: os.mknod(n, stat.S_IFBLK | 0o660, os.makedev(7, mi))
for n, ma, mi in (("null", 1, 3), ("zero", 1, 5), ("full", 1, 7), ("random", 1, 8), ("urandom", 1, 9), ("tty", 5, 0)): c(n, ma, mi)
c("loop-control", 10, 237, 0o660)
for i in range(512): b("loop%d" % i, i)
if sys.argv[1]: b("hkl-disk", int(sys.argv[1]))
if sys.argv[2]: b("hkl-local", int(sys.argv[2]))
' "$disk" "$loc"
ln -s /proc/self/fd fd; ln -s fd/0 stdin; ln -s fd/1 stdout; ln -s fd/2 stderr
mkdir shm pts
cd /
mount -t tmpfs -o mode=1777,size=512m tmpfs /dev/shm
while [ $# -gt 1 ]; do
  case $1 in /*) s=$1 ;; *) s=$d/$1 ;; esac
  mount --rbind "$s" "$2"
  shift 2
done
hostname "$h"
echo $$ > "$d/log/ready"
set +e
while :; do sleep 3600 & wait; done
`;
