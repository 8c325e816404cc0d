package cmd_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

func diagnoseSample(t *testing.T) (*testcluster.Cluster, string) {
	t.Helper()
	c := testcluster.Get(t)
	ns := c.Namespace(t, "cli-diag")
	if err := fixtures.CreateDiagnose(context.Background(), c.Dynamic, ns); err != nil {
		t.Fatal(err)
	}
	return c, ns
}

func TestDiagnoseCLI(t *testing.T) {
	c, ns := diagnoseSample(t)
	out, _, err := runCLI("diagnose", "ks", "frontend", "-n", ns, "--kubeconfig", c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out, "\n")
	if !strings.HasPrefix(lines[0], "Kustomization/"+ns+"/frontend: Ready=False ArtifactFailed since ") ||
		!strings.HasPrefix(lines[1], "1. error source-not-ready GitRepository/"+ns+"/broken: the source is not ready: GitOperationFailed: ") ||
		!strings.HasPrefix(lines[2], "   evidence: status.conditions[Ready]=False reason GitOperationFailed") {
		t.Errorf("diagnose text:\n%s", out)
	}

	out, _, err = runCLI("diagnose", "--all", "-n", ns, "-o", "json", "--kubeconfig", c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Diagnoses []struct {
			Object   string
			Findings []struct{ Severity, Rule, Object, Message, Evidence string }
		}
		Checked int
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("-o json: %v\n%s", err, out)
	}
	if res.Checked != 11 || len(res.Diagnoses) != 8 || res.Diagnoses[0].Object != "Kustomization/"+ns+"/apps" || res.Diagnoses[0].Findings[0].Rule != "dependency-not-ready" {
		t.Errorf("--all -o json = %+v", res)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"diagnose"}, "a kind and a name are required"},
		{[]string{"diagnose", "ks", "x", "--all"}, "not both"},
		{[]string{"diagnose", "ks", "nope", "-n", ns}, `Kustomization "nope" not found`},
		{[]string{"diagnose", "ks", "apps", "-A"}, "--all-namespaces needs --all"},
	} {
		_, _, err := runCLI(append(tc.args, "--kubeconfig", c.Kubeconfig)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.args, err, tc.want)
		}
	}
}

func TestGraphCLI(t *testing.T) {
	c, ns := diagnoseSample(t)
	out, _, err := runCLI("graph", "-n", ns, "--kubeconfig", c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "12 nodes, 13 edges, 10 failing, 1 cycles, 1 missing references\n") ||
		!strings.Contains(out, "\n  depends on Kustomization/"+ns+"/infra [not ready: HealthCheckFailed") {
		t.Errorf("graph:\n%s", out)
	}
	out, _, err = runCLI("graph", "-n", ns, "-o", "dot", "--kubeconfig", c.Kubeconfig)
	if err != nil || !strings.HasPrefix(out, "digraph flux {") {
		t.Errorf("dot: %v\n%s", err, out)
	}
	out, _, err = runCLI("graph", "-n", ns, "-o", "json", "--kubeconfig", c.Kubeconfig)
	var g struct {
		Nodes  []struct{ ID string }
		Cycles [][]string
	}
	if err != nil || json.Unmarshal([]byte(out), &g) != nil || len(g.Nodes) != 12 || len(g.Cycles) != 1 {
		t.Errorf("json: %v\n%s", err, out)
	}
	if _, _, err := runCLI("graph", "-o", "svg", "--kubeconfig", c.Kubeconfig); err == nil || !strings.Contains(err.Error(), `unknown output format "svg"`) {
		t.Errorf("-o svg: %v", err)
	}
}
