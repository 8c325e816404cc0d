#!/usr/bin/env bash
# Builds the test ground from the Go module proxy into a cache keyed by version:
#   kube-apiserver and kubectl (k8s.io/kubernetes in a wrapper module with the staging replaces),
#   etcd (go.etcd.io/etcd/server/v3 in a wrapper module),
#   and every Flux CRD (module zips and controller-gen over the API modules).
# Nothing it produces is committed. A second run finds everything in place and returns at once.
# Prints the assets directory (KUBEBUILDER_ASSETS) on its last line.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"

cache=${KFM_CACHE_DIR:-$HOME/.cache/kubectl-flux-mcp}
bin="$cache/testbin/k8s-$K8S_VERSION-etcd-$ETCD_VERSION"
crds="$cache/crds/$CRDS_KEY"
work="$cache/build"
export GOFLAGS=-mod=mod CGO_ENABLED=0 GOTOOLCHAIN=local
mkdir -p "$bin" "$work"

log() { printf '[testbin] %s\n' "$*" >&2; }

mod_dir() { # module@version -> its extracted directory in the module cache
  go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p'
}

build_kubernetes() {
  [ -x "$bin/kube-apiserver" ] && [ -x "$bin/kubectl" ] && return 0
  log "building kube-apiserver and kubectl $K8S_VERSION (takes several minutes the first time)"
  local w="$work/kubernetes-$K8S_VERSION" staging=${K8S_VERSION/v1./v0.}
  rm -rf "$w" && mkdir -p "$w"
  go mod download -json "k8s.io/kubernetes@$K8S_VERSION" >/dev/null
  local modfile
  modfile="$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/$K8S_VERSION.mod"
  {
    echo "module kfm.local/kubernetes-wrapper"
    echo "go $(sed -n 's/^go //p' "$modfile")"
    echo "require k8s.io/kubernetes $K8S_VERSION"
    # Every staging module that kubernetes requires is replaced by its published tag; the sample
    # modules it does not require are left out (the proxy does not serve them).
    grep -oE '^[[:space:]]+k8s\.io/[a-z0-9-]+ => \./staging' "$modfile" | awk '{print $1}' | while read -r m; do
      if grep -qE "^[[:space:]]+$m v0\.0\.0" "$modfile"; then echo "replace $m => $m $staging"; fi
    done
  } >"$w/go.mod"
  cat >"$w/tools.go" <<'EOF'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
EOF
  (cd "$w" && go mod tidy >/dev/null 2>&1 || go mod tidy)
  local ver="-X k8s.io/component-base/version.gitVersion=$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$(echo "$K8S_VERSION" | cut -d. -f2)"
  ver="$ver -X k8s.io/client-go/pkg/version.gitVersion=$K8S_VERSION -X k8s.io/client-go/pkg/version.gitMajor=1 -X k8s.io/client-go/pkg/version.gitMinor=$(echo "$K8S_VERSION" | cut -d. -f2)"
  (cd "$w" && go build -trimpath -ldflags "-s -w $ver" -o "$bin/kube-apiserver.tmp" k8s.io/kubernetes/cmd/kube-apiserver \
    && mv "$bin/kube-apiserver.tmp" "$bin/kube-apiserver")
  (cd "$w" && go build -trimpath -ldflags "-s -w $ver" -o "$bin/kubectl.tmp" k8s.io/kubernetes/cmd/kubectl \
    && mv "$bin/kubectl.tmp" "$bin/kubectl")
}

build_etcd() {
  [ -x "$bin/etcd" ] && return 0
  log "building etcd $ETCD_VERSION"
  local w="$work/etcd-$ETCD_VERSION"
  rm -rf "$w" && mkdir -p "$w"
  cat >"$w/go.mod" <<EOF
module kfm.local/etcd-wrapper
go 1.24
require go.etcd.io/etcd/server/v3 $ETCD_VERSION
EOF
  cat >"$w/main.go" <<'EOF'
// Command etcd runs the etcd server from go.etcd.io/etcd/server/v3.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
EOF
  (cd "$w" && go mod tidy >/dev/null 2>&1 || (cd "$w" && go mod tidy))
  (cd "$w" && go build -trimpath -ldflags "-s -w" -o "$bin/etcd.tmp" . && mv "$bin/etcd.tmp" "$bin/etcd")
}

controller_gen() {
  local cg="$cache/tools/controller-gen-$CONTROLLER_GEN_VERSION"
  if [ ! -x "$cg" ]; then
    log "building controller-gen $CONTROLLER_GEN_VERSION"
    mkdir -p "$cache/tools"
    GOBIN="$cache/tools/tmp" go install "sigs.k8s.io/controller-tools/cmd/controller-gen@$CONTROLLER_GEN_VERSION"
    mv "$cache/tools/tmp/controller-gen" "$cg"
  fi
  echo "$cg"
}

build_crds() {
  [ -f "$crds/.complete" ] && return 0
  log "producing Flux CRDs into $crds"
  rm -rf "$crds" && mkdir -p "$crds"
  local d m
  # Controllers whose module zip carries its generated CRDs.
  for m in "github.com/fluxcd/source-controller@$SOURCE_CONTROLLER_VERSION" \
           "github.com/fluxcd/kustomize-controller@$KUSTOMIZE_CONTROLLER_VERSION"; do
    d=$(GOFLAGS= go mod download -json "$m" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
    cp "$d"/config/crd/bases/*.yaml "$crds/"
  done
  # API modules whose CRDs controller-gen produces from the Go types.
  local cg
  cg=$(controller_gen)
  for m in "github.com/fluxcd/helm-controller/api@$HELM_API_VERSION" \
           "github.com/fluxcd/notification-controller/api@$NOTIFICATION_API_VERSION" \
           "github.com/fluxcd/image-reflector-controller/api@$IMAGE_API_VERSION" \
           "github.com/fluxcd/image-automation-controller/api@$IMAGE_API_VERSION"; do
    d=$(GOFLAGS= go mod download -json "$m" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
    local w
    w="$work/crdgen/$(echo "${m%@*}" | tr '/.' '__')"
    rm -rf "$w" && mkdir -p "$w" && cp -r "$d"/. "$w"/ && chmod -R u+w "$w"
    (cd "$w" && GOFLAGS=-mod=mod go mod download >/dev/null 2>&1 || true)
    (cd "$w" && "$cg" crd paths=./... output:crd:artifacts:config="$crds")
  done
  # Flux Operator kinds (test data only; the module is never imported or built). Its go.mod asks for
  # Go 1.27, so the go command downloads the zip but will not extract it: read the CRDs from the zip.
  local zip
  zip=$({ GOFLAGS= go mod download -json "github.com/controlplaneio-fluxcd/flux-operator@$FLUX_OPERATOR_VERSION" || true; } | sed -n 's/^[[:space:]]*"Zip": "\(.*\)",*$/\1/p')
  python3 - "$zip" "$crds" <<'PY'
import sys, zipfile, os
zf, out = zipfile.ZipFile(sys.argv[1]), sys.argv[2]
n = 0
for name in zf.namelist():
    parts = name.split("/")
    if "/config/crd/bases/" in name and name.endswith(".yaml"):
        with open(os.path.join(out, parts[-1]), "wb") as f:
            f.write(zf.read(name))
        n += 1
if n == 0:
    sys.exit("no CRDs found in " + sys.argv[1])
PY
  touch "$crds/.complete"
}

case "${1:-all}" in
  kubernetes) build_kubernetes ;;
  etcd) build_etcd ;;
  crds) build_crds ;;
  all) build_etcd; build_crds; build_kubernetes ;;
  *) echo "usage: $0 [all|kubernetes|etcd|crds]" >&2; exit 2 ;;
esac
echo "$bin"
