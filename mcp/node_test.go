package mcp_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/mcp"
)

// nodeEnv finds what hack/node/setup.sh installs (make node): Node.js 22 and the npm packages of
// hack/node/package-lock.json. Tests that need them skip with one line when they are missing.
type nodeEnv struct{ node, modules, dir string }

func findNode(t *testing.T) nodeEnv {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "hack", "node"))
	if err != nil {
		t.Fatal(err)
	}
	versions, err := os.ReadFile(filepath.Join(dir, "versions.env"))
	if err != nil {
		t.Fatal(err)
	}
	var version string
	for _, line := range strings.Split(string(versions), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "NODE_VERSION="); ok {
			version = v
		}
	}
	lock, err := os.ReadFile(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(lock)
	cache := os.Getenv("KFM_CACHE_DIR")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache", "kubectl-flux-mcp")
	}
	env := nodeEnv{node: filepath.Join(cache, "node-"+version, "bin", "node"), modules: filepath.Join(cache, "npm-"+hex.EncodeToString(sum[:])[:12], "node_modules"), dir: dir}
	for _, marker := range []string{filepath.Join(cache, "node-"+version, ".complete"), filepath.Join(filepath.Dir(env.modules), ".complete")} {
		if _, err := os.Stat(marker); err != nil {
			t.Skipf("Node.js client test skipped: Node %s and the npm packages are not installed; run `make node`", version)
		}
	}
	return env
}

// script copies a script of hack/node next to a link to the installed node_modules: ES modules
// resolve their imports from their own location, and NODE_PATH does not apply to them.
func (n nodeEnv) script(t *testing.T, name string) string {
	t.Helper()
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join(n.dir, name))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), src, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(n.modules, filepath.Join(dir, "node_modules")); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, name)
}

func TestNodeSDKClientOverEveryTransport(t *testing.T) {
	n := findNode(t)
	c := testcluster.Get(t)
	ns := c.Namespace(t, "node")
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	base := httpServer(t, c, mcp.TransportHTTP, mcp.Options{MaskSecrets: true})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, n.node, n.script(t, "client.mjs"))
	cmd.Env = append(os.Environ(), "KFM_BINARY="+testcluster.PluginBinary(t), "KUBECONFIG="+c.Kubeconfig,
		"KFM_SSE_URL="+base+"/sse", "KFM_HTTP_URL="+base+"/mcp", "KFM_NAMESPACE="+ns)
	out, err := cmd.Output()
	var stderr string
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		stderr = string(ee.Stderr)
	}
	seen := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		var r struct {
			Transport string
			Tools     int
			Problems  []string
		}
		if json.Unmarshal(sc.Bytes(), &r) != nil {
			continue
		}
		seen[r.Transport] = true
		if r.Tools < 7 || len(r.Problems) > 0 {
			t.Errorf("%s: %d tools, problems:\n  %s", r.Transport, r.Tools, strings.Join(r.Problems, "\n  "))
		}
	}
	if err != nil || len(seen) != 3 {
		t.Fatalf("node client: %v, transports checked %v\nstdout:\n%s\nstderr:\n%s", err, seen, out, stderr)
	}
}
