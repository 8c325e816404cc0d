#!/usr/bin/env bash
# Builds the real Flux source-controller and kustomize-controller from the Go module proxy, each in a
# wrapper module, into a cache keyed by version: $cache/controllers/<version>/. Nothing it produces is
# committed. A second run finds the binaries in place and returns at once.
# Prints the controllers directory (KFM_CONTROLLERS_DIR) on its last line.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"

cache=${KFM_CACHE_DIR:-$HOME/.cache/kubectl-flux-mcp}
bin="$cache/controllers/src-$SOURCE_CONTROLLER_VERSION-ks-$KUSTOMIZE_CONTROLLER_VERSION"
work="$cache/build"
export GOFLAGS=-mod=mod CGO_ENABLED=0 GOTOOLCHAIN=local
mkdir -p "$bin" "$work"

log() { printf '[controllers] %s\n' "$*" >&2; }

# build NAME MODULE VERSION [extra go.mod lines...]
# The controller's main package is the module root; a wrapper module requires it, repeats its
# replace directives, adds the given extra go.mod lines and builds it as a program.
build() {
  local name=$1 module=$2 version=$3
  shift 3
  [ -x "$bin/$name" ] && return 0
  log "building $name $version (takes several minutes the first time)"
  local w="$work/$name-$version"
  rm -rf "$w" && mkdir -p "$w"
  go mod download -json "$module@$version" >/dev/null
  local modfile
  modfile="$(go env GOMODCACHE)/cache/download/$module/@v/$version.mod"
  {
    echo "module kfm.local/$name-wrapper"
    echo "go $(sed -n 's/^go //p' "$modfile")"
    echo "require $module $version"
    # The controller's own replace directives (the go command ignores them in a dependency), except
    # those to local directories; its API module is required at the same published version.
    go mod edit -json "$modfile" | python3 -c '
import json, sys
for r in json.load(sys.stdin).get("Replace") or []:
    new = r["New"]
    if "Version" in new:
        print("replace %s => %s %s" % (r["Old"]["Path"], new["Path"], new["Version"]))
'
    for line in "$@"; do echo "$line"; done
  } >"$w/go.mod"
  cat >"$w/tools.go" <<TOOLS
//go:build tools

package tools

import _ "$module"
TOOLS
  # -e: tidy also looks at the tests of the controller's packages, whose test-only modules the
  # proxy may not serve; the build does not need them.
  (cd "$w" && go mod tidy -e)
  (cd "$w" && go build -trimpath -ldflags "-s -w" -o "$bin/$name.tmp" "$module" && mv "$bin/$name.tmp" "$bin/$name")
}

source_controller() {
  build source-controller github.com/fluxcd/source-controller "$SOURCE_CONTROLLER_VERSION" \
    "replace github.com/fluxcd/pkg/artifact => github.com/fluxcd/pkg/artifact $SOURCE_ARTIFACT_VERSION"
}

kustomize_controller() {
  build kustomize-controller github.com/fluxcd/kustomize-controller "$KUSTOMIZE_CONTROLLER_VERSION"
}

case "${1:-all}" in
  source-controller) source_controller ;;
  kustomize-controller) kustomize_controller ;;
  all) source_controller; kustomize_controller ;;
  *) echo "usage: $0 [all|source-controller|kustomize-controller]" >&2; exit 2 ;;
esac
echo "$bin"
