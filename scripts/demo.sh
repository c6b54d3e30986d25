#!/usr/bin/env bash
# One command, on a fresh Debian machine as root: install and build everything
# (scripts/setup.sh), start a private containerd (its own root, state and
# socket under /tmp; never the system's), walk through the API with ctrx, and
# stop the daemon again.
#   bash scripts/demo.sh            # containerd 1.6 from Debian bookworm
#   bash scripts/demo.sh --line 2   # containerd 2.x from Debian sid (unpacked, not installed)
set -euo pipefail
cd "$(dirname "$0")/.."
line=1.6
[ "${1:-}" = "--line" ] && line=${2:?--line takes 1.6 or 2}

bash scripts/setup.sh >&2
dir=$(mktemp -d /tmp/ctrx-demo-XXXXXX)
rmdir "$dir" # the daemon wants an empty, new folder
trap 'node scripts/lib/daemons.js stop "$dir" >/dev/null 2>&1 || true' EXIT
node scripts/lib/daemons.js start "$line" "$dir" >/dev/null
echo "private containerd $line running at $dir/containerd.sock"
node scripts/walkthrough.js "$dir/containerd.sock" --line "$line"
