package cmd_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

// TestReadCommandsAcrossTwoServers: the read commands answer per context over two API servers,
// and keep answering for the one left when the other is stopped during the test.
func TestReadCommandsAcrossTwoServers(t *testing.T) {
	two, kc := testcluster.TwoServers(t, "cli-fleet2")

	out, errOut, err := runCLI("stats", "-A", "--all-contexts", "--kubeconfig", kc)
	if err != nil || errOut != "" {
		t.Fatalf("stats: %v, stderr %q", err, errOut)
	}
	if !strings.HasPrefix(out, "== context one\nKIND ") || !strings.Contains(out, "\n\n== context two\nKIND ") {
		t.Errorf("stats over two contexts:\n%s", out)
	}

	two.Stop()

	out, errOut, err = runCLI("stats", "-A", "--contexts", "one,two", "--context-timeout", "5s", "--kubeconfig", kc)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "== context one\nKIND ") || strings.Contains(out, "context two") {
		t.Errorf("stats with two stopped:\n%s", out)
	}
	if !strings.HasPrefix(errOut, "context two: cannot reach the Kubernetes API server at https://127.0.0.1:") {
		t.Errorf("stderr: %q", errOut)
	}

	out, _, err = runCLI("diagnose", "--all", "-A", "--all-contexts", "--context-timeout", "5s", "-o", "json", "--kubeconfig", kc)
	var res struct {
		Contexts []struct {
			Context string
			Result  *struct{ Diagnoses []json.RawMessage }
			Error   string
		}
	}
	if err != nil || json.Unmarshal([]byte(out), &res) != nil {
		t.Fatalf("diagnose -o json: %v\n%s", err, out)
	}
	if len(res.Contexts) != 2 || res.Contexts[0].Result == nil || len(res.Contexts[0].Result.Diagnoses) == 0 ||
		res.Contexts[1].Result != nil || !strings.Contains(res.Contexts[1].Error, "cannot reach") {
		t.Errorf("diagnose over one live and one stopped context:\n%s", out)
	}

	if _, _, err := runCLI("graph", "--contexts", "one,three", "--kubeconfig", kc); err == nil ||
		err.Error() != `context "three" not found in kubeconfig; known contexts: [one two]` {
		t.Errorf("unknown context: %v", err)
	}
}
