#!/usr/bin/env bash
# A clean Debian 12 (bookworm) root for the package install test: debootstrap minbase from the configured Debian
# mirror, then Pacemaker's command-line tools, crmsh, pcs, man-db and resource-agents (ocf-tester) with apt, and
# NO node.js. The finished root is kept under <cache-dir>/root-<key>/ (key = this script + mirror + the extra
# packages; <root>.complete marks it finished, <root>.seconds says how long it took), so later runs reuse it; the test mounts an overlay on top and never changes it.
#   usage: debian-root.sh <cache-dir> [package-to-preinstall ...]   → prints the root's path on stdout
# The extra packages (the hakit package's Depends and Recommends, as the test reads them from the .deb) are
# installed too, so that installing the .deb later needs no network and the file lists taken before installing
# it and after purging it differ only by what the package itself leaves behind.
set -euo pipefail
cache=$1; shift
preinstall=("$@")
here=$(cd "$(dirname "$0")" && pwd)

# The Debian mirror this machine is configured with (deb822 or one-line sources), unless HAKIT_DEBIAN_MIRROR says.
mirror=${HAKIT_DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
  mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
    grep -oE '(https?|file)://[^ ]+/debian/?( |$)' | grep -v -- '-security' | head -n1 | tr -d ' ' || true)
fi
mirror=${mirror:-http://deb.debian.org/debian}

packages=(pacemaker-cli-utils crmsh pcs man-db resource-agents libxml2-utils)
key=$( { cat "$here/debian-root.sh"; echo "$mirror ${packages[*]} ${preinstall[*]}"; } | sha256sum | cut -c1-16)
root="$cache/root-$key"
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [ -f "$root.complete" ]; then echo "$root"; exit 0; fi

for old in "$cache"/root-*; do
  base=${old%.complete}; base=${base%.seconds}
  [ "$base" != "$root" ] && rm -rf --one-file-system "$old"
done
rm -rf --one-file-system "$root" "$root.complete" "$root.seconds"
started=$(date +%s)

cleanup() {
  for m in proc dev/pts; do mountpoint -q "$root/$m" && umount -l "$root/$m"; done
  return 0
}
trap cleanup EXIT

echo "debian-root: debootstrap bookworm from $mirror" >&2
debootstrap --variant=minbase bookworm "$root" "$mirror" >&2
mount -t proc proc "$root/proc"
mount -t devpts devpts "$root/dev/pts"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
# Packages' services must never start inside the test root.
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }
in_root apt-get update -q >&2
in_root apt-get install -y -q --no-install-recommends "${packages[@]}" >&2
if [ "${#preinstall[@]}" -gt 0 ]; then
  in_root apt-get install -y -q --no-install-recommends "${preinstall[@]}" >&2
fi
in_root apt-get clean >&2
if in_root sh -c 'command -v node || command -v nodejs || dpkg -l "nodejs*" 2>/dev/null | grep -q "^ii"'; then
  echo "debian-root: node.js found in the root" >&2; exit 1
fi
cleanup
echo "$(( $(date +%s) - started ))" > "$root.seconds"
touch "$root.complete"
echo "debian-root: ready in $(cat "$root.seconds") s: $root" >&2
echo "$root"
