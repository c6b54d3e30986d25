#!/usr/bin/env bash
# Installs what ctrx's build, walk-through and tests need on Debian (as root),
# then builds ctrx. Safe to run again: each step is skipped when done.
#   system: containerd 1.6 and runc (bookworm), Debian's docker-registry,
#           busybox-static (test images), apache2-utils (htpasswd), openssl,
#           hyperfine (benchmarks), util-linux (script, for pseudo-terminals),
#           iptables (criu locks a task's network with iptables-restore),
#           containernetworking-plugins (CNI plugins for run --cni)
#   cache:  containerd 2.x, criu 4 from sid (bookworm's 3.17 cannot dump a
#           task on this kernel) and the API definitions (scripts/fetch-debs.sh)
#   npm:    the locked dependencies, then `npm run build`
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(containerd runc docker-registry busybox-static apache2-utils openssl hyperfine util-linux tar gzip python3 iptables containernetworking-plugins)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian starts no daemon here (no systemd in this environment); if a package
# script did start the system containerd, ctrx's tests still use private ones.

bash scripts/fetch-debs.sh

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run --silent build
echo "setup: done ($(node bin/ctrx --version))"
