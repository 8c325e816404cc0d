package main_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

// plugin runs the built binary directly, as kubectl would exec it, with HOME set to home and the
// given extra environment; KUBECONFIG and HOME of the test process are not passed on, so each test
// says exactly where the kubeconfig comes from.
func plugin(t *testing.T, home string, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(testcluster.PluginBinary(t), args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "KUBECONFIG=") && !strings.HasPrefix(kv, "HOME=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(append(cmd.Env, "HOME="+home), env...)
	return run(t, cmd)
}

// oneErrorLine fails the test unless the run failed with a single "error: " line holding want.
func oneErrorLine(t *testing.T, args []string, out, errOut string, code int, want string) {
	t.Helper()
	if code == 0 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "error: ") || !strings.Contains(errOut, want) {
		t.Errorf("%v: want exit != 0, no stdout and one error line containing %q; got exit %d, stdout %q, stderr %q", args, want, code, out, errOut)
	}
}

func sampleIn(t *testing.T, c *testcluster.Cluster, prefix string) string {
	t.Helper()
	ns := c.Namespace(t, prefix)
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	return ns
}

// With neither --kubeconfig nor KUBECONFIG, the plugin reads ~/.kube/config, as kubectl does.
func TestHomeKubeconfigIsTheDefault(t *testing.T) {
	c := testcluster.Get(t)
	ns := sampleIn(t, c, "home")
	home := t.TempDir()
	kc, err := os.ReadFile(c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(home, ".kube"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".kube", "config"), kc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := plugin(t, home, nil, "get", "ks", "-A")
	if code != 0 || !strings.Contains(out, ns) || !strings.Contains(out, "infrastructure") {
		t.Fatalf("get ks -A with ~/.kube/config: exit %d\n%s\n%s", code, out, errOut)
	}
	// Without it, the plugin has no cluster to talk to and says so in one line.
	empty := t.TempDir()
	args := []string{"get", "ks", "-A"}
	out, errOut, code = plugin(t, empty, nil, args...)
	if code == 0 || strings.Contains(out, ns) || strings.Count(errOut, "\n") != 1 {
		t.Errorf("%v without any kubeconfig: exit %d, stdout %q, stderr %q", args, code, out, errOut)
	}
}

// splitKubeconfig writes the admin kubeconfig as two files, as people keep one file per cluster:
// a holds the context "first" (current, namespace "default"), b the context "second" whose default
// namespace is ns.
func splitKubeconfig(t *testing.T, admin, ns string) (a, b string) {
	t.Helper()
	cfg, err := clientcmd.LoadFromFile(admin)
	if err != nil {
		t.Fatal(err)
	}
	cur := cfg.Contexts[cfg.CurrentContext]
	dir := t.TempDir()
	for _, f := range []struct {
		path, name, ns string
	}{{filepath.Join(dir, "a"), "first", "default"}, {filepath.Join(dir, "b"), "second", ns}} {
		out := clientcmdapi.NewConfig()
		out.Clusters[f.name] = cfg.Clusters[cur.Cluster]
		out.AuthInfos[f.name] = cfg.AuthInfos[cur.AuthInfo]
		out.Contexts[f.name] = &clientcmdapi.Context{Cluster: f.name, AuthInfo: f.name, Namespace: f.ns}
		if f.name == "first" {
			out.CurrentContext = f.name
		}
		if err := clientcmd.WriteToFile(*out, f.path); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "a"), filepath.Join(dir, "b")
}

// KUBECONFIG with two files is merged, as in kubectl: --context picks a context of the second file
// and its default namespace applies when -n is not given.
func TestMergedKubeconfigAndContext(t *testing.T) {
	c := testcluster.Get(t)
	ns := sampleIn(t, c, "merged")
	a, b := splitKubeconfig(t, c.Kubeconfig, ns)
	env := []string{"KUBECONFIG=" + a + string(filepath.ListSeparator) + b}
	home := t.TempDir()

	out, errOut, code := plugin(t, home, env, "get", "ks", "--context", "second")
	if code != 0 {
		t.Fatalf("get ks --context second: exit %d\n%s", code, errOut)
	}
	for _, name := range []string{"apps", "infrastructure", "monitoring"} {
		if !strings.Contains(out, name) {
			t.Errorf("get ks --context second lacks %s (the context's namespace %s):\n%s", name, ns, out)
		}
	}
	// The current context (from the first file) defaults to "default", which holds none of them.
	out, errOut, code = plugin(t, home, env, "get", "ks")
	if code != 0 || strings.Contains(out, "infrastructure") {
		t.Errorf("get ks in the current context: exit %d, stdout %q, stderr %q", code, out, errOut)
	}

	args := []string{"get", "ks", "--context", "third"}
	out, errOut, code = plugin(t, home, env, args...)
	oneErrorLine(t, args, out, errOut, code, `context "third" not found`)
	if !strings.Contains(errOut, "first") || !strings.Contains(errOut, "second") {
		t.Errorf("the error should name the contexts that exist: %q", errOut)
	}
}

// A user without the right to impersonate gets the server's 403 for impersonation in one line (not
// the "unknown" that discovery makes of it).
func TestImpersonationForbidden(t *testing.T) {
	c := testcluster.Get(t)
	kc := c.AddUser(t, "no-impersonate")
	args := []string{"get", "ks", "-n", "default", "--as", "someone", "--kubeconfig", kc}
	out, errOut, code := plugin(t, t.TempDir(), nil, args...)
	oneErrorLine(t, args, out, errOut, code, `User "no-impersonate" cannot impersonate`)
	// version reads the server version through discovery too; it prints the plugin version first.
	out, errOut, code = plugin(t, t.TempDir(), nil, "version", "--as", "someone", "--kubeconfig", kc)
	if code == 0 || !strings.HasPrefix(out, "kubectl-flux-mcp: ") || strings.Count(errOut, "\n") != 1 ||
		!strings.Contains(errOut, `User "no-impersonate" cannot impersonate`) {
		t.Errorf("version --as someone: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
