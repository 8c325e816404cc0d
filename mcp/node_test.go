package mcp_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

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
	bg := context.Background()
	if err := fixtures.CreateAll(bg, c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	// The objects the script deletes after accepting the confirmation (not over SSE, where it is not asked).
	for _, tr := range []string{"stdio", "http"} {
		cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "doomed-" + tr, Namespace: ns}}
		if _, err := c.Kube.CoreV1().ConfigMaps(ns).Create(bg, cm, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	base := httpServer(t, c, mcp.TransportHTTP, mcp.Options{MaskSecrets: true})
	ctx, cancel := context.WithTimeout(bg, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, n.node, n.script(t, "client.mjs"))
	cmd.Env = append(os.Environ(), "KFM_BINARY="+testcluster.PluginBinary(t), "KUBECONFIG="+c.Kubeconfig,
		"KFM_SSE_URL="+base+"/sse", "KFM_HTTP_URL="+base+"/mcp", "KFM_NAMESPACE="+ns)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	seen := map[string]bool{}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		out.WriteString(sc.Text() + "\n")
		var r struct {
			Transport  string
			Tools      int
			Problems   []string
			Subscribed string
		}
		if json.Unmarshal(sc.Bytes(), &r) != nil {
			continue
		}
		if r.Subscribed != "" {
			// The script is subscribed: change the object as a controller would.
			writeReady(t, c, "kustomizations", ksGVR, ns, "infrastructure", "Seen_"+r.Transport)
			continue
		}
		seen[r.Transport] = true
		if r.Tools < 7 || len(r.Problems) > 0 {
			t.Errorf("%s: %d tools, problems:\n  %s", r.Transport, r.Tools, strings.Join(r.Problems, "\n  "))
		}
	}
	err = cmd.Wait()
	if err != nil || len(seen) != 3 {
		t.Fatalf("node client: %v, transports checked %v\nstdout:\n%s\nstderr:\n%s", err, seen, out.String(), stderr.String())
	}
	// The declined delete left its object; the accepted ones removed theirs.
	if _, err := c.Dynamic.Resource(ksGVR).Namespace(ns).Get(bg, "apps", metav1.GetOptions{}); err != nil {
		t.Errorf("after the declined deletes: %v", err)
	}
	for _, tr := range []string{"stdio", "http"} {
		if _, err := c.Kube.CoreV1().ConfigMaps(ns).Get(bg, "doomed-"+tr, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			t.Errorf("after the accepted delete over %s: ConfigMap doomed-%s still there (%v)", tr, tr, err)
		}
	}
}
