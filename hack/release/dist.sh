#!/usr/bin/env bash
# Builds the release archives: kubectl-flux_mcp for every platform, each packed with LICENSE,
# README.md and the kubectl completion helper (kubectl_complete-flux_mcp, a .cmd on Windows), plus a
# sha256 checksums file.
#
#   VERSION=v1.2.3 hack/release/dist.sh            # into dist/
#   VERSION=v1.2.3 DIST_DIR=/tmp/d PLATFORMS="linux/amd64" hack/release/dist.sh
#
# The archives are reproducible: the same commit gives the same bytes. Everything that could vary
# is fixed: paths (-trimpath), build ids, VCS stamping, the toolchain's CPU level, file times
# (SOURCE_DATE_EPOCH, the last commit's time), entry order, owners and modes, gzip's name and time.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

VERSION=${VERSION:?VERSION is required, e.g. VERSION=v1.2.3}
if ! [[ $VERSION =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$ ]]; then
  echo "VERSION=$VERSION is not a semantic version with a leading v (krew needs one), e.g. v1.2.3" >&2
  exit 2
fi
DIST_DIR=${DIST_DIR:-dist}
PLATFORMS=${PLATFORMS:-linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64}
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
export SOURCE_DATE_EPOCH TZ=UTC LC_ALL=C GOTOOLCHAIN=local CGO_ENABLED=0 GOAMD64=v1 GOARM64=v8.0 GOFLAGS=
module=github.com/kubectl-flux-mcp/kubectl-flux-mcp
name=kubectl-flux-mcp
helper=kubectl_complete-flux_mcp

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$DIST_DIR" "$work/out"

# archive_zip DIR ZIP FILE... writes a zip with fixed times and modes, entries in the given order.
# Python's zipfile, not zip(1): zip stores local times, uid/gid extras and is not on every machine.
archive_zip() {
  python3 - "$@" <<'PY'
import os, sys, time, zipfile
src, out, names = sys.argv[1], sys.argv[2], sys.argv[3:]
when = time.gmtime(int(os.environ["SOURCE_DATE_EPOCH"]))[:6]
with zipfile.ZipFile(out, "w") as z:
    for n in names:
        info = zipfile.ZipInfo(n, date_time=max(when, (1980, 1, 1, 0, 0, 0)))
        info.create_system = 3  # Unix, so that the mode below is honoured
        mode = 0o755 if os.access(os.path.join(src, n), os.X_OK) else 0o644
        info.external_attr = (0o100000 | mode) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        with open(os.path.join(src, n), "rb") as f:
            z.writestr(info, f.read(), compresslevel=9)
PY
}

for platform in $PLATFORMS; do
  os=${platform%/*} arch=${platform#*/}
  stage="$work/$os-$arch"
  mkdir -p "$stage"
  bin=kubectl-flux_mcp
  [ "$os" = windows ] && bin=kubectl-flux_mcp.exe
  echo "building $name $VERSION for $os/$arch" >&2
  GOOS=$os GOARCH=$arch go build -trimpath -buildvcs=false \
    -ldflags "-s -w -buildid= -X $module/plugin/version.Version=$VERSION" \
    -o "$stage/$bin" ./cmd/kubectl-flux_mcp
  install -m 0644 LICENSE README.md "$stage/"
  if [ "$os" = windows ]; then
    # kubectl finds the helper with exec.LookPath, which on Windows only finds names with an
    # extension from PATHEXT: a batch file there, the sh script everywhere else.
    install -m 0644 "krew/$helper.cmd" "$stage/"
  else
    install -m 0755 "krew/$helper" "$stage/"
  fi
  chmod 0755 "$stage/$bin"
  touch -d "@$SOURCE_DATE_EPOCH" "$stage"/*
  files=$(cd "$stage" && printf '%s\n' * | sort)
  base="${name}_${VERSION}_${os}_${arch}"
  if [ "$os" = windows ]; then
    # shellcheck disable=SC2086 # one file name per word, none with spaces
    archive_zip "$stage" "$work/out/$base.zip" $files
  else
    # shellcheck disable=SC2086
    tar --format=ustar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
      -C "$stage" -cf - $files | gzip -n -9 >"$work/out/$base.tar.gz"
  fi
done

(cd "$work/out" && sha256sum -- * >"$work/sums") && mv "$work/sums" "$work/out/${name}_${VERSION}_checksums.txt"
rm -f "$DIST_DIR/${name}_${VERSION}_"*
mv "$work/out"/* "$DIST_DIR/"
(cd "$DIST_DIR" && ls -1 "${name}_${VERSION}_"*)
