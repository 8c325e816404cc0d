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
	plugin := testcluster.PluginBinary(t)
	sh, err := os.ReadFile("../../krew/kubectl_complete-flux_mcp")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("sh", func(t *testing.T) { kubectlCompletes(t, kubectl, plugin, sh, c.Kubeconfig, ns) })
	// Windows has no sh: the .cmd helper runs the plugin directly. The same command, as sh, must
	// complete the same way here.
	bat, err := os.ReadFile("../../krew/kubectl_complete-flux_mcp.cmd")
	if err != nil {
		t.Fatal(err)
	}
	line, ok := strings.CutSuffix(string(bat), "\r\n")
	if !ok || strings.ContainsAny(line, "\r\n") || !strings.HasPrefix(line, "@") || !strings.HasSuffix(line, " %*") {
		// Without @ cmd.exe echoes the command to stdout, among the completions.
		t.Fatalf("the .cmd helper must be one CRLF-terminated line, @COMMAND %%*: %q", bat)
	}
	asSh := "#!/bin/sh\nexec " + strings.TrimSuffix(strings.TrimPrefix(line, "@"), "%*") + `"$@"` + "\n"
	t.Run("cmd", func(t *testing.T) { kubectlCompletes(t, kubectl, plugin, []byte(asSh), c.Kubeconfig, ns) })
}

// kubectlCompletes puts kubectl, the plugin and a completion helper on PATH and runs kubectl's
// completion of `kubectl flux-mcp …`.
func kubectlCompletes(t *testing.T, kubectl, plugin string, helper []byte, kubeconfig, ns string) {
	t.Helper()
	bin := t.TempDir()
	if err := os.Symlink(plugin, filepath.Join(bin, "kubectl-flux_mcp")); err != nil {
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
		{[]string{"__complete", "flux-mcp", "trace", "ks", "-n", ns, "a"}, "apps\n:4\n"},
	} {
		cmd := exec.Command(kubectl, tc.args...)
		cmd.Env = []string{"PATH=" + bin + ":/usr/bin:/bin", "KUBECONFIG=" + kubeconfig, "HOME=" + t.TempDir()}
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
