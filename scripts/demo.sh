#!/usr/bin/env bash
# One command, on a fresh Debian machine as root: install and build everything
# (scripts/setup.sh), start a private containerd (its own root, state and
# socket under /tmp; never the system's) and a private registry on a loopback
# port, walk through the API with ctrx, and stop both again.
#   bash scripts/demo.sh            # containerd 1.6 from Debian bookworm
#   bash scripts/demo.sh --line 2   # containerd 2.x from Debian sid (unpacked, not installed)
set -euo pipefail
cd "$(dirname "$0")/.."
line=1.6
[ "${1:-}" = "--line" ] && line=${2:?--line takes 1.6 or 2}

bash scripts/setup.sh >&2
dir=$(mktemp -d /tmp/ctrx-demo-XXXXXX)
rmdir "$dir" # the daemon wants an empty, new folder
reg="$dir-registry"
trap 'node scripts/lib/daemons.js stop "$dir" >/dev/null 2>&1 || true; node scripts/lib/registry.js stop "$reg" >/dev/null 2>&1 || true' EXIT
node scripts/lib/daemons.js start "$line" "$dir" >/dev/null
host=$(node scripts/lib/registry.js start "$reg" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).host))')
echo "private containerd $line running at $dir/containerd.sock; private registry at $host"
node scripts/walkthrough.js "$dir/containerd.sock" --line "$line" --registry "$host"
