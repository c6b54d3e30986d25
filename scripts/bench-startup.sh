#!/usr/bin/env bash
# Start-up cost of ctrx next to ctr and next to a minimal grpc-js script that
# makes the same single call, against a private containerd (2.x by default).
# NODE_EXTRA_CA_CERTS is unset: on some machines it adds ~40 ms to every node start.
#   bash scripts/bench-startup.sh [--line 1.6|2] [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
line=2; runs=40
while [ $# -gt 0 ]; do
  case "$1" in --line) line=$2; shift 2;; --runs) runs=$2; shift 2;; *) echo "unknown $1" >&2; exit 2;; esac
done
unset NODE_EXTRA_CA_CERTS
command -v hyperfine >/dev/null || { echo "bench: hyperfine missing (apt-get install hyperfine)" >&2; exit 1; }
[ -f dist/ctrx.js ] || npm run --silent build
dir=$(mktemp -d /tmp/ctrx-bench-XXXXXX); rmdir "$dir"
trap 'node scripts/lib/daemons.js stop "$dir" >/dev/null 2>&1 || true; rm -rf "$out"' EXIT
node scripts/lib/daemons.js start "$line" "$dir" >/dev/null
sock="$dir/containerd.sock"
ctr=$(node -e 'console.log(require("./scripts/lib/daemons").lineInfo(process.argv[1]).ctr)' "$line")
out=$(mktemp -d)
./bin/ctrx -a "$sock" version >/dev/null # writes the code cache, as any first run does
hyperfine -N -w 5 -r "$runs" --export-json "$out/r.json" \
  -n "ctr version" "$ctr -a $sock version" \
  -n "ctrx version" "node bin/ctrx -a $sock version" \
  -n "grpc-js minimal (Version)" "node scripts/bench/min-call.js $sock /containerd.services.version.v1.Version/Version" \
  -n "ctr ns ls" "$ctr -a $sock ns ls" \
  -n "ctrx ns ls" "node bin/ctrx -a $sock ns ls" \
  -n "grpc-js minimal (Namespaces.List)" "node scripts/bench/min-call.js $sock /containerd.services.namespaces.v1.Namespaces/List" \
  -n "node -e 0" "node -e 0" >/dev/null
node -e '
const r = require(process.argv[1]).results;
const med = Object.fromEntries(r.map((x) => [x.command, x.median * 1000]));
for (const x of r) console.log(`${x.command.padEnd(36)} median ${(x.median * 1000).toFixed(1).padStart(6)} ms  (mean ${(x.mean * 1000).toFixed(1)} ± ${(x.stddev * 1000).toFixed(1)})`);
const ratio = (a, b) => (med[a] / med[b]).toFixed(2);
console.log(`ctrx version / minimal: ${ratio("ctrx version", "grpc-js minimal (Version)")}x   ctrx ns ls / minimal: ${ratio("ctrx ns ls", "grpc-js minimal (Namespaces.List)")}x`);
console.log(`ctrx version / ctr: ${ratio("ctrx version", "ctr version")}x   ctrx ns ls / ctr: ${ratio("ctrx ns ls", "ctr ns ls")}x`);
' "$out/r.json"
