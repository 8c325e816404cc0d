#!/usr/bin/env bash
# Builds flux-operator-mcp, the reference Flux MCP server, into the cache keyed by version: a
# baseline that `make bench BENCH_FLUX_OPERATOR=1` measures as a separate process. It is AGPL: it
# is only built and run here, never imported or copied into this project. Its module needs a newer
# Go than the project's, which the go command fetches as a toolchain module.
# Nothing is committed; a second run finds the binary and returns at once.
# Prints the path of the binary on its last line.
set -euo pipefail

version=${FLUX_OPERATOR_VERSION:-v0.59.0}
toolchain=${FLUX_OPERATOR_GOTOOLCHAIN:-go1.27.3}
cache=${KFM_CACHE_DIR:-$HOME/.cache/kubectl-flux-mcp}
out="$cache/baselines/flux-operator-mcp-$version"

if [ -x "$out" ]; then
  echo "$out"
  exit 0
fi
echo "[baselines] building flux-operator-mcp $version with $toolchain (takes a few minutes the first time)" >&2
tmp="$cache/build/flux-operator-mcp-$version"
rm -rf "$tmp" && mkdir -p "$tmp" "$(dirname "$out")"
# Outside any module, so that the project's go.mod and GOTOOLCHAIN=local do not apply.
(cd "$tmp" && GOTOOLCHAIN=$toolchain GOFLAGS= CGO_ENABLED=0 GOBIN="$tmp" \
  go install -trimpath -ldflags "-s -w" "github.com/controlplaneio-fluxcd/flux-operator/cmd/mcp@$version")
mv "$tmp/mcp" "$out"
echo "$out"
