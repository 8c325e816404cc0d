#!/usr/bin/env bash
# Renders krew/flux-mcp.yaml.tmpl into $DIST_DIR/flux-mcp.yaml: the version, the URL of each
# archive under $RELEASE_URL, and each archive's sha256 from the checksums file that dist.sh wrote.
# Run `make dist` first.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

VERSION=${VERSION:?VERSION is required, e.g. VERSION=v1.2.3}
DIST_DIR=${DIST_DIR:-dist}
RELEASE_URL=${RELEASE_URL:-https://github.com/kubectl-flux-mcp/kubectl-flux-mcp/releases/download/$VERSION}
sums="$DIST_DIR/kubectl-flux-mcp_${VERSION}_checksums.txt"
[ -f "$sums" ] || { echo "$sums not found: run 'make dist VERSION=$VERSION' first" >&2; exit 1; }

out=$(sed '/^#/d' krew/flux-mcp.yaml.tmpl)
out=${out//"{{VERSION}}"/$VERSION}
out=${out//"{{RELEASE_URL}}"/${RELEASE_URL%/}}
while read -r sum file; do
  # kubectl-flux-mcp_v1.2.3_linux_amd64.tar.gz -> linux_amd64
  platform=${file#"kubectl-flux-mcp_${VERSION}_"}
  platform=${platform%.tar.gz}
  platform=${platform%.zip}
  out=${out//"{{SHA256_$platform}}"/$sum}
done <"$sums"
if missing=$(grep -o '{{[A-Za-z0-9_]*}}' <<<"$out"); then
  echo "no archive in $DIST_DIR for: $(echo "$missing" | sort -u | tr '\n' ' ')" >&2
  exit 1
fi
printf '%s\n' "$out" >"$DIST_DIR/flux-mcp.yaml"
echo "$DIST_DIR/flux-mcp.yaml"
