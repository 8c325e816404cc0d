#!/usr/bin/env bash
# Builds the release archives twice and fails unless both builds are byte for byte identical, then
# checks what is inside: the four files (the binary and the completion helper with their Windows
# names in the zips), sorted, owned by 0, dated SOURCE_DATE_EPOCH, and a binary
# that reports VERSION. The first build is left in $DIST_DIR for the krew checks that follow.
#
#   VERSION=v0.0.0-check DIST_DIR=/tmp/d hack/release/check-reproducible.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

export VERSION=${VERSION:-v0.0.0-check}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
first=${DIST_DIR:-$(mktemp -d)}
second=$(mktemp -d)
trap 'rm -rf "$second"' EXIT

DIST_DIR=$first hack/release/dist.sh >/dev/null
DIST_DIR=$second hack/release/dist.sh >/dev/null

status=0
for f in "$first"/kubectl-flux-mcp_"${VERSION}"_*; do
  if ! cmp -s "$f" "$second/${f##*/}"; then
    echo "not reproducible: ${f##*/} differs between two builds" >&2
    status=1
  fi
done
[ "$(ls "$first" | grep -c "_${VERSION}_")" = "$(ls "$second" | grep -c "_${VERSION}_")" ] || status=1
[ $status = 0 ] || exit 1
echo "reproducible: $(ls "$first" | grep -c "_${VERSION}_") files identical across two builds" >&2

# What is inside each archive, in order, with owner, mode and time.
want="LICENSE README.md kubectl-flux_mcp kubectl_complete-flux_mcp"
for f in "$first"/*.tar.gz; do
  listing=$(tar --numeric-owner --full-time -tvzf "$f")
  names=$(awk '{print $6}' <<<"$listing" | tr '\n' ' ')
  [ "$names" = "$want " ] || { echo "${f##*/}: entries '$names', want '$want'" >&2; exit 1; }
  if grep -qv ' 0/0 ' <<<"$listing"; then echo "${f##*/}: an entry is not owned by 0/0" >&2; exit 1; fi
  when=$(date -u -d "@$SOURCE_DATE_EPOCH" '+%Y-%m-%d %H:%M:%S')
  if grep -qv " $when " <<<"$listing"; then echo "${f##*/}: an entry is not dated $when" >&2; exit 1; fi
done
for f in "$first"/*.zip; do
  [ -e "$f" ] || continue
  python3 - "$f" "LICENSE README.md kubectl-flux_mcp.exe kubectl_complete-flux_mcp.cmd" "$SOURCE_DATE_EPOCH" <<'PY'
import sys, time, zipfile
z, want, epoch = zipfile.ZipFile(sys.argv[1]), sys.argv[2].split(), int(sys.argv[3])
names = [i.filename for i in z.infolist()]
if names != want:
    sys.exit(f"{sys.argv[1]}: entries {names}, want {want}")
# A zip stores DOS times, which count seconds in twos: an odd epoch second reads back one less.
when = time.gmtime(epoch)[:6]
when = when[:5] + (when[5] - when[5] % 2,)
for i in z.infolist():
    if i.date_time != when:
        sys.exit(f"{sys.argv[1]}: {i.filename} is dated {i.date_time}")
PY
done

# The binary of this machine's platform runs and carries the version.
host="$first/kubectl-flux-mcp_${VERSION}_$(go env GOOS)_$(go env GOARCH).tar.gz"
if [ -f "$host" ]; then
  tmp=$(mktemp -d)
  tar -xzf "$host" -C "$tmp"
  got=$("$tmp/kubectl-flux_mcp" version --client)
  rm -rf "$tmp"
  [ "$got" = "kubectl-flux-mcp: $VERSION" ] || { echo "the built plugin says '$got', want '$VERSION'" >&2; exit 1; }
fi
(cd "$first" && sha256sum -c --quiet "kubectl-flux-mcp_${VERSION}_checksums.txt")
echo "archives hold the expected files, owners, times and a working binary" >&2
