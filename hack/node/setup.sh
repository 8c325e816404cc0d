#!/usr/bin/env bash
# Installs what the independent-client tests need, into the cache and never into the repository:
#   $CACHE/node-$NODE_VERSION/bin/node    Node.js 22, from the npm package node-linux-<arch>
#   $CACHE/npm-$KEY/node_modules          the packages of hack/node/package-lock.json
# KEY is the start of the lock file's sha256, so a changed lock installs afresh. Idempotent: a
# finished install leaves a .complete marker and is not repeated. Prints the two directories.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"
cache=${KFM_CACHE_DIR:-$HOME/.cache/kubectl-flux-mcp}

case $(uname -m) in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "setup.sh: no Node.js package for $(uname -m)" >&2; exit 1 ;;
esac
command -v npm >/dev/null || { echo "setup.sh: npm is needed to install Node.js 22 (apt-get install npm)" >&2; exit 1; }

node_dir=$cache/node-$NODE_VERSION
if [ ! -f "$node_dir/.complete" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-$arch@$NODE_VERSION" >/dev/null)
  mkdir -p "$tmp/node"
  tar -xzf "$tmp"/node-linux-"$arch"-*.tgz -C "$tmp/node" --strip-components=1
  "$tmp/node/bin/node" --version >/dev/null
  rm -rf "$node_dir"
  mkdir -p "$cache"
  mv "$tmp/node" "$node_dir"
  touch "$node_dir/.complete"
fi
export PATH=$node_dir/bin:$PATH

key=$(sha256sum "$here/package-lock.json" | cut -c1-12)
npm_dir=$cache/npm-$key
if [ ! -f "$npm_dir/.complete" ]; then
  rm -rf "$npm_dir"
  mkdir -p "$npm_dir"
  cp "$here/package.json" "$here/package-lock.json" "$here/.npmrc" "$npm_dir/"
  (cd "$npm_dir" && npm ci --silent --no-audit --no-fund)
  touch "$npm_dir/.complete"
fi
echo "$node_dir"
echo "$npm_dir"
