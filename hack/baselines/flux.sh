#!/usr/bin/env bash
# Builds the flux CLI, a baseline for `make bench`, into the cache keyed by version.
# flux2's cmd/flux cannot be `go install`ed: its go.mod has a replace directive, and cmd/flux embeds
# install manifests (manifests/*.yaml) that are generated at release time. So the module source is
# copied from the module cache, a placeholder manifest is written where the embed pattern looks,
# and the copy is built. `flux get` never reads the embedded manifests.
# Nothing is committed; a second run finds the binary and returns at once.
# Prints the path of the binary on its last line.
set -euo pipefail

version=${FLUX_VERSION:-v2.9.5}
cache=${KFM_CACHE_DIR:-$HOME/.cache/kubectl-flux-mcp}
out="$cache/baselines/flux-$version"
work="$cache/build/flux2-$version"
export GOFLAGS=-mod=mod CGO_ENABLED=0 GOTOOLCHAIN=${GOTOOLCHAIN:-local}

if [ -x "$out" ]; then
  echo "$out"
  exit 0
fi
echo "[baselines] building flux $version (takes a few minutes the first time)" >&2
dir=$(go mod download -json "github.com/fluxcd/flux2/v2@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
[ -n "$dir" ] || { echo "[baselines] go mod download gave no Dir for flux2 $version" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work" "$(dirname "$out")"
cp -r "$dir/." "$work/"
chmod -R u+w "$work"
mkdir -p "$work/cmd/flux/manifests"
printf '# placeholder: release manifests are not needed by flux get\n' >"$work/cmd/flux/manifests/placeholder.yaml"
(cd "$work" && go build -trimpath -ldflags "-s -w -X main.VERSION=${version#v}" -o "$out.tmp" ./cmd/flux)
mv "$out.tmp" "$out"
echo "$out"
