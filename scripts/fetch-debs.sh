#!/usr/bin/env bash
# Fetches the Debian packages that development and tests need but that must not
# be installed system-wide, and unpacks each into $CTRX_CACHE/x/<package>:
#   containerd (2.x, from sid)                       - a second daemon, its shim and ctr
#   golang-github-containerd-containerd-api-dev (sid) - containerd 2.x API definitions
#   golang-k8s-cri-api-dev (sid)                      - CRI API definitions
#   golang-github-containerd-containerd-dev (bookworm) - containerd 1.6 API definitions
#   criu (sid) with every library it needs, into $CACHE/x/criu-sid, and a
#     launcher $CACHE/x/criu-sid/bin/criu that runs it with sid's own loader:
#     bookworm's criu 3.17 cannot dump a task on kernels whose vDSO layout it
#     does not know ("Unexpected rt vDSO area bounds"), and sid's needs a newer
#     glibc than bookworm's, so it brings its own and touches nothing system-wide.
# The .deb files stay in the cache, so later runs on the same machine reuse them.
set -euo pipefail
CACHE=${CTRX_CACHE:-/var/cache/ctrx}
mkdir -p "$CACHE/debs" "$CACHE/x" "$CACHE/apt/lists/partial" "$CACHE/apt/cache/archives/partial"

# The archive the machine already uses, with suite sid: no host name of our own.
sources_sid="$CACHE/apt/sid.sources"
if [ ! -s "$sources_sid" ]; then
  uri=$(grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
  if [ -z "$uri" ]; then
    uri=$(grep -h '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
  fi
  [ -n "$uri" ] || { echo "fetch-debs: no Debian archive found in the apt sources" >&2; exit 1; }
  cat > "$sources_sid" <<SRC
Types: deb
URIs: $uri
Suites: sid
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi

sid_apt=(-o "Dir::Etc::SourceList=$sources_sid" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$CACHE/apt/lists" -o "Dir::Cache=$CACHE/apt/cache")

have() { ls "$CACHE/debs/$1"_*.deb >/dev/null 2>&1; }

need_sid=()
for p in containerd golang-github-containerd-containerd-api-dev golang-k8s-cri-api-dev; do
  have "$p" || need_sid+=("$p")
done
if [ ${#need_sid[@]} -gt 0 ]; then
  apt-get "${sid_apt[@]}" update -qq
  (cd "$CACHE/debs" && apt-get "${sid_apt[@]}" download "${need_sid[@]}" 2>&1 | grep -v 'unsandboxed' || true)
fi
if ! have golang-github-containerd-containerd-dev; then
  (cd "$CACHE/debs" && apt-get download golang-github-containerd-containerd-dev 2>&1 | grep -v 'unsandboxed' || true)
fi

for deb in "$CACHE"/debs/*.deb; do
  pkg=$(basename "$deb"); pkg=${pkg%%_*}
  ver=$(dpkg-deb -f "$deb" Version)
  dest="$CACHE/x/$pkg"
  if [ ! -f "$dest/VERSION" ] || [ "$(cat "$dest/VERSION")" != "$ver" ]; then
    rm -rf "$dest"; mkdir -p "$dest"
    dpkg -x "$deb" "$dest"
    echo "$ver" > "$dest/VERSION"
  fi
done
for p in containerd golang-github-containerd-containerd-api-dev golang-k8s-cri-api-dev golang-github-containerd-containerd-dev; do
  [ -f "$CACHE/x/$p/VERSION" ] || { echo "fetch-debs: $p could not be fetched" >&2; exit 1; }
done
# criu from sid: the package and its whole dependency closure as apt resolves it
# against an empty system, so every library comes from the same suite.
CRIU="$CACHE/x/criu-sid"
if [ ! -x "$CRIU/bin/criu" ]; then
  mkdir -p "$CACHE/debs/criu-sid"
  empty_status="$CACHE/apt/empty-status"; : > "$empty_status"
  closure=$(apt-get "${sid_apt[@]}" -o "Dir::State::status=$empty_status" install -s --no-install-recommends criu 2>/dev/null | awk '/^Inst /{print $2}')
  [ -n "$closure" ] || { apt-get "${sid_apt[@]}" update -qq; closure=$(apt-get "${sid_apt[@]}" -o "Dir::State::status=$empty_status" install -s --no-install-recommends criu 2>/dev/null | awk '/^Inst /{print $2}'); }
  [ -n "$closure" ] || { echo "fetch-debs: cannot resolve criu's dependencies in sid" >&2; exit 1; }
  # shellcheck disable=SC2086
  (cd "$CACHE/debs/criu-sid" && rm -f ./*.deb && apt-get "${sid_apt[@]}" download $closure 2>&1 | grep -v 'unsandboxed' || true)
  rm -rf "$CRIU"; mkdir -p "$CRIU/bin"
  for deb in "$CACHE"/debs/criu-sid/*.deb; do dpkg -x "$deb" "$CRIU"; done
  dpkg-deb -f "$CACHE"/debs/criu-sid/criu_*.deb Version > "$CRIU/VERSION"
  lib="$CRIU/usr/lib/x86_64-linux-gnu"
  cat > "$CRIU/bin/criu" <<LAUNCHER
#!/bin/sh
# sid's criu through sid's loader and libraries only (written by scripts/fetch-debs.sh).
exec "$lib/ld-linux-x86-64.so.2" --library-path "$lib" "$CRIU/usr/sbin/criu" "\$@"
LAUNCHER
  chmod 755 "$CRIU/bin/criu"
  "$CRIU/bin/criu" --version >/dev/null || { echo "fetch-debs: sid's criu does not start" >&2; exit 1; }
fi

echo "fetch-debs: $(for p in "$CACHE"/x/*; do printf '%s=%s ' "$(basename "$p")" "$(cat "$p/VERSION")"; done)"
