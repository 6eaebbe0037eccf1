#!/usr/bin/env bash
# Development entry point for a fresh Debian 12 machine, as root, from a clean clone:
#   bash packaging/hakit-dev.sh demo   install everything, build, run the demo (the main job)
#   bash packaging/hakit-dev.sh test   install everything, build, run every test
set -euo pipefail
cd "$(dirname "$0")/.."

install_deps() {
  local missing=()
  mapfile -t pkgs < <(sed 's/#.*//' packaging/debian-deps.txt | tr -s ' \t' '\n' | grep -v '^$')
  for p in "${pkgs[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "== installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
  # The packages' own services must not run on the host: the lab starts its own corosync/pacemaker per node.
  for s in pacemaker corosync pcsd apache2 tgt; do systemctl disable --now "$s" >/dev/null 2>&1 || true; done
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    # npm ci first. The lock lists rollup's other-platform optional packages: without them npm 11 resolves them
    # from the registry and refuses the lock when one is missing there (seen on this machine's registry). npm
    # install from the same lock stays the fallback.
    echo "== npm ci"
    npm ci --no-audit --no-fund || npm install --no-audit --no-fund
  fi
}

build() {
  echo "== build"
  npm run --silent build
}

case "${1:-}" in
  demo)
    install_deps; build
    exec dist/bin/hakit demo ;;
  test)
    install_deps; build
    exec npm test --silent ;;
  deps)
    install_deps ;;
  *)
    echo "usage: $0 demo|test|deps" >&2; exit 2 ;;
esac
