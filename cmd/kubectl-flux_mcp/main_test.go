package main_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

func TestMain(m *testing.M) { testcluster.Main(m) }

// kubectl runs `kubectl ARGS` with a kubectl built from k8s.io/kubectl and the plugin on PATH.
func kubectl(t *testing.T, c *testcluster.Cluster, args ...string) (string, string, int) {
	t.Helper()
	bin := testcluster.PluginBinary(t)
	kubectlBin := filepath.Join(c.AssetsDir, "kubectl")
	if _, err := os.Stat(kubectlBin); err != nil {
		t.Skipf("kubectl not built (%v); run `make testbin`", err)
	}
	cmd := exec.Command(kubectlBin, args...)
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+":/nonexistent", "KUBECONFIG="+c.Kubeconfig, "HOME="+t.TempDir())
	return run(t, cmd)
}

// run runs cmd and returns its stdout, its stderr and its exit code; only a failure to start it
// fails the test.
func run(t *testing.T, cmd *exec.Cmd) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}

func TestKubectlFindsThePlugin(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "dispatch")
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := kubectl(t, c, "flux-mcp", "get", "ks", "-A")
	if code != 0 || !strings.Contains(out, ns) || !strings.Contains(out, "kustomize build failed") {
		t.Fatalf("kubectl flux-mcp get ks -A: exit %d\n%s\n%s", code, out, errOut)
	}
	out, _, code = kubectl(t, c, "plugin", "list")
	if code != 0 || !strings.Contains(out, "kubectl-flux_mcp") {
		t.Fatalf("kubectl plugin list does not show the plugin:\n%s", out)
	}
}

func TestErrorsAreOneLineAndNonZero(t *testing.T) {
	c := testcluster.Get(t)
	for _, args := range [][]string{
		{"flux-mcp", "get", "widgets"},
		{"flux-mcp", "get", "ks", "--nope"},
		{"flux-mcp", "get", "ks", "--as", "mallory"},
		{"flux-mcp", "get", "ks", "--server", "https://127.0.0.1:1", "--insecure-skip-tls-verify"},
	} {
		out, errOut, code := kubectl(t, c, args...)
		if code == 0 {
			t.Errorf("%v: exit 0", args)
		}
		if out != "" || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "error: ") {
			t.Errorf("%v: want one error line on stderr and nothing on stdout, got stdout %q stderr %q", args, out, errOut)
		}
		if strings.Contains(errOut, "panic") || strings.Contains(errOut, "goroutine") {
			t.Errorf("%v: %s", args, errOut)
		}
	}
}
