package cmd_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

func TestGetAcrossContextsCLI(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "cli-fleet")
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	kc := filepath.Join(t.TempDir(), "kubeconfig")
	if err := fixtures.FleetKubeconfig(c.Kubeconfig, kc); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := runCLI("get", "ks", "-n", ns, "--all-contexts", "--kubeconfig", kc)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 7 || strings.Join(strings.Fields(lines[0])[:2], " ") != "CONTEXT NAME" || !strings.HasPrefix(lines[1], "envtest ") || !strings.HasPrefix(lines[4], "mirror ") {
		t.Errorf("table:\n%s", out)
	}
	if !strings.Contains(errOut, "context down: cannot reach the Kubernetes API server at https://127.0.0.1:1") {
		t.Errorf("stderr: %q", errOut)
	}
	out, _, err = runCLI("get", "hr", "-n", ns, "--contexts", "mirror,down", "--context-timeout", "5s", "-o", "json", "--kubeconfig", kc)
	var res struct {
		Items    []struct{ Context, Name string }
		Contexts []struct {
			Name  string
			Items int
			Error string
		}
	}
	if err != nil || json.Unmarshal([]byte(out), &res) != nil {
		t.Fatalf("-o json: %v\n%s", err, out)
	}
	if len(res.Items) != 2 || res.Items[0].Context != "mirror" || len(res.Contexts) != 2 || res.Contexts[1].Error == "" {
		t.Errorf("-o json = %+v", res)
	}
}
