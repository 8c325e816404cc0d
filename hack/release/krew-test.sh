#!/usr/bin/env bash
# Proves that $DIST_DIR/flux-mcp.yaml works with krew, offline: validates it with krew's own
# validator, installs every platform's archive with `kubectl krew install --manifest --archive`
# into a temporary KREW_ROOT (krew checks the sha256 and the files), and on this machine's
# platform runs `kubectl flux-mcp version --client` and kubectl's plugin completion through the
# installed plugin, with a kubectl built from source. Run `make dist krew-manifest` first.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
# shellcheck source=../testbin/versions.env
source hack/testbin/versions.env

VERSION=${VERSION:?VERSION is required, e.g. VERSION=v1.2.3}
DIST_DIR=$(cd "${DIST_DIR:-dist}" && pwd)
KREW_VERSION=${KREW_VERSION:-v0.4.3}
cache=${KFM_CACHE_DIR:-$HOME/.cache/kubectl-flux-mcp}
tools="$cache/tools/krew-$KREW_VERSION"
kubectl="$cache/testbin/k8s-$K8S_VERSION-etcd-$ETCD_VERSION/kubectl"
manifest="$DIST_DIR/flux-mcp.yaml"
[ -f "$manifest" ] || { echo "$manifest not found: run 'make dist krew-manifest VERSION=$VERSION' first" >&2; exit 1; }
[ -x "$kubectl" ] || { echo "$kubectl not found: run 'make testbin'" >&2; exit 1; }

if [ ! -x "$tools/krew" ] || [ ! -x "$tools/validate-krew-manifest" ]; then
  echo "installing krew $KREW_VERSION into $tools" >&2
  rm -rf "$tools.tmp" && mkdir -p "$tools.tmp"
  GOBIN="$tools.tmp" CGO_ENABLED=0 GOFLAGS= go install \
    "sigs.k8s.io/krew/cmd/krew@$KREW_VERSION" "sigs.k8s.io/krew/cmd/validate-krew-manifest@$KREW_VERSION"
  rm -rf "$tools" && mv "$tools.tmp" "$tools"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tools"
ln -s "$tools/krew" "$work/tools/kubectl-krew"
ln -s "$kubectl" "$work/tools/kubectl"
export KREW_NO_UPGRADE_CHECK=1 HOME="$work/home"
mkdir -p "$HOME"

# Krew's validator: structure, name, selectors that match platforms and do not overlap. The
# installs it would do download the URIs, which exist only after the release: done below instead.
"$tools/validate-krew-manifest" -manifest "$manifest" -skip-install 2>"$work/validate.log" ||
  { cat "$work/validate.log" >&2; exit 1; }

host_os=$(go env GOOS) host_arch=$(go env GOARCH)
for archive in "$DIST_DIR"/kubectl-flux-mcp_"${VERSION}"_*_*.*; do
  platform=${archive##*/kubectl-flux-mcp_"${VERSION}"_}
  platform=${platform%%.*}
  os=${platform%_*} arch=${platform#*_}
  exe=kubectl-flux_mcp helper=kubectl_complete-flux_mcp
  [ "$os" = windows ] && exe=kubectl-flux_mcp.exe helper=kubectl_complete-flux_mcp.cmd
  export KREW_ROOT="$work/krew-$platform"
  export PATH="$KREW_ROOT/bin:$work/tools:/usr/bin:/bin"
  KREW_OS=$os KREW_ARCH=$arch kubectl krew install --manifest="$manifest" --archive="$archive" </dev/null >"$work/install.log" 2>&1 ||
    { echo "krew install for $os/$arch failed:" >&2; cat "$work/install.log" >&2; exit 1; }
  store="$KREW_ROOT/store/flux-mcp/$VERSION"
  for f in "$exe" LICENSE "$helper"; do
    [ -f "$store/$f" ] || { echo "$os/$arch: $f not installed into $store" >&2; exit 1; }
  done
  [ -e "$KREW_ROOT/bin/$exe" ] || { echo "$os/$arch: krew did not put $exe on PATH" >&2; exit 1; }

  if [ "$os/$arch" = "$host_os/$host_arch" ]; then
    got=$(kubectl flux-mcp version --client)
    [ "$got" = "kubectl-flux-mcp: $VERSION" ] ||
      { echo "kubectl flux-mcp version --client printed '$got', want 'kubectl-flux-mcp: $VERSION'" >&2; exit 1; }
    # The caveat's step for completion, then kubectl's plugin completion through the helper.
    cp "$store/$helper" "$KREW_ROOT/bin/"
    # Read all of it, then keep the first line: `| head -1` would close the pipe early and,
    # under pipefail, fail the script with SIGPIPE whenever kubectl writes after head exits.
    got=$(kubectl __complete flux-mcp get gitr 2>/dev/null)
    got=${got%%$'\n'*}
    [ "$got" = $'gitrepository\tGitRepository (gitrepo, gitrepos)' ] ||
      { echo "kubectl __complete flux-mcp get gitr printed '$got'" >&2; exit 1; }
    echo "krew: installed $VERSION for $os/$arch, kubectl flux-mcp runs and completes" >&2
  fi

  # krew uninstall insists on a local plugin index, which needs the network to fetch: an empty one.
  mkdir -p "$KREW_ROOT/index/default/.git" "$KREW_ROOT/index/default/plugins"
  KREW_OS=$os KREW_ARCH=$arch kubectl krew uninstall flux-mcp >"$work/uninstall.log" 2>&1 ||
    { cat "$work/uninstall.log" >&2; exit 1; }
  [ ! -e "$KREW_ROOT/bin/$exe" ] && [ ! -d "$store" ] || { echo "$os/$arch: uninstall left files behind" >&2; exit 1; }
  echo "krew: $os/$arch installs and uninstalls" >&2
done
