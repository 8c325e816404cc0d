package cmd_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

// kubectl completes `kubectl flux-mcp …` by running the kubectl_complete-flux_mcp helper that the
// release ships; this drives that chain with a kubectl built from source, as a shell would.
func TestKubectlPluginCompletion(t *testing.T) {
	c, ns := sample(t)
	kubectl := filepath.Join(c.AssetsDir, "kubectl")
	if _, err := os.Stat(kubectl); err != nil {
		t.Skipf("kubectl not built (%v); run `make testbin`", err)
	}
	bin := t.TempDir()
	if err := os.Symlink(testcluster.PluginBinary(t), filepath.Join(bin, "kubectl-flux_mcp")); err != nil {
		t.Fatal(err)
	}
	helper, err := os.ReadFile("../../krew/kubectl_complete-flux_mcp")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "kubectl_complete-flux_mcp"), helper, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(kubectl, filepath.Join(bin, "kubectl")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"__complete", "flux-mcp", "get", "ks", "-n", ns, ""}, "apps\ninfrastructure\nmonitoring\n:4\n"},
		{[]string{"__complete", "flux-mcp", "get", "hr", "-n", ns, "r"}, "redis\n:4\n"},
		{[]string{"__complete", "flux-mcp", "get", "gitr"}, "gitrepository\tGitRepository (gitrepo, gitrepos)\n:4\n"},
	} {
		cmd := exec.Command(kubectl, tc.args...)
		cmd.Env = []string{"PATH=" + bin + ":/usr/bin:/bin", "KUBECONFIG=" + c.Kubeconfig, "HOME=" + t.TempDir()}
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Run(); err != nil {
			t.Fatalf("kubectl %v: %v\n%s", tc.args, err, errOut.String())
		}
		if out.String() != tc.want {
			t.Errorf("kubectl %s = %q, want %q (stderr %q)", strings.Join(tc.args, " "), out.String(), tc.want, errOut.String())
		}
	}
}
