#!/usr/bin/env bash
# Installs kubernetes-mcp-server, a baseline for `make bench`, into the cache keyed by version, with
# the npm of the machine. The npm package for linux/amd64 carries the server as a static binary.
# Nothing is committed; a second run finds the binary and returns at once.
# Prints the path of the binary on its last line.
set -euo pipefail

version=${KMS_VERSION:-0.0.67}
cache=${KFM_CACHE_DIR:-$HOME/.cache/kubectl-flux-mcp}
prefix="$cache/npm-kms/$version"
pkg=kubernetes-mcp-server-linux-amd64

find_bin() { find "$prefix/node_modules/$pkg" -type f -name 'kubernetes-mcp-server*' -perm -u+x 2>/dev/null | head -n1 || true; }

bin=$(find_bin)
if [ -z "$bin" ]; then
  command -v npm >/dev/null || { echo "[baselines] npm not found: cannot install $pkg" >&2; exit 1; }
  echo "[baselines] installing $pkg@$version" >&2
  mkdir -p "$prefix"
  npm install --silent --no-audit --no-fund --prefix "$prefix" "$pkg@$version" >&2
  bin=$(find_bin)
fi
[ -n "$bin" ] || { echo "[baselines] no kubernetes-mcp-server binary inside $prefix/node_modules/$pkg" >&2; exit 1; }
echo "$bin"
