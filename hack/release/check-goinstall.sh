#!/usr/bin/env bash
# Proves that `go install github.com/kubectl-flux-mcp/kubectl-flux-mcp/cmd/kubectl-flux_mcp@latest`
# works for the current commit, offline: the committed tree is published as a module version in a
# throwaway file-based module proxy, `go install …@latest` builds it from there exactly as it would
# from the public proxy (which refuses replace directives and checks the module zip), and the
# installed binary must report that module version without any -ldflags.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

module=github.com/kubectl-flux-mcp/kubectl-flux-mcp
version=${GOINSTALL_CHECK_VERSION:-v0.0.1-check}
if grep -Eq '^[[:space:]]*(replace|exclude|retract)\b' go.mod; then
  echo "go.mod has replace/exclude directives: go install …@latest refuses such a module" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
dl="$work/proxy/$module/@v"
mkdir -p "$dl" "$work/src"
git archive --format=tar HEAD | tar -x -C "$work/src"
printf '%s\n' "$version" >"$dl/list"
printf '{"Version":"%s","Time":"%s"}\n' "$version" "$(git log -1 --format=%cI)" >"$dl/$version.info"
cp go.mod "$dl/$version.mod"
# A module zip holds every file under module@version/, files only.
(cd "$work/src" && python3 - "$dl/$version.zip" "$module@$version" <<'PY'
import os, sys, zipfile
out, prefix = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for d, dirs, files in os.walk("."):
        dirs.sort()
        for f in sorted(files):
            p = os.path.normpath(os.path.join(d, f))
            z.write(p, prefix + "/" + p)
PY
)

# Everything but our module comes from the local module cache, read as a proxy: no network, and
# the throwaway version never enters the real module cache.
modcache=$(go env GOMODCACHE)
GOBIN="$work/bin" GOMODCACHE="$work/modcache" GOPROXY="file://$work/proxy,file://$modcache/cache/download" \
  GOSUMDB=off GOFLAGS=-trimpath CGO_ENABLED=0 GOTOOLCHAIN=local \
  go install "$module/cmd/kubectl-flux_mcp@latest" >"$work/install.log" 2>&1 ||
  { grep -v '^go: downloading' "$work/install.log" >&2; exit 1; }
got=$("$work/bin/kubectl-flux_mcp" version --client)
[ "$got" = "kubectl-flux-mcp: $version" ] ||
  { echo "go-installed plugin says '$got', want 'kubectl-flux-mcp: $version'" >&2; exit 1; }
echo "go install …/cmd/kubectl-flux_mcp@latest builds the module and reports $version" >&2
