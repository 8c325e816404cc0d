package cmd_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

// TestGraphAllNamespaces: graph -A shows the HelmReleases of every namespace with their dependsOn
// and chart source edges, as JSON and as the tree.
func TestGraphAllNamespaces(t *testing.T) {
	c := testcluster.Get(t)
	ns, other := c.Namespace(t, "cli-graph"), c.Namespace(t, "cli-graph-db")
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.GraphHelmSample(ns, other)); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCLI("graph", "-A", "-o", "json", "--kubeconfig", c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Nodes []struct {
			ID      string
			Failing bool
			Blocks  []string
		}
		Edges []struct{ From, To, Type string }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	app, db := "HelmRelease/"+ns+"/app", "HelmRelease/"+other+"/db"
	want := map[string]bool{
		app + " dependsOn " + db:                                                        false,
		app + " source HelmChart/" + ns + "/app-chart":                                  false,
		db + " source HelmRepository/" + other + "/charts":                              false,
		"Kustomization/" + other + "/solo source GitRepository/" + other + "/solo-repo": false,
	}
	for _, e := range res.Edges {
		if _, ok := want[e.From+" "+e.Type+" "+e.To]; ok {
			want[e.From+" "+e.Type+" "+e.To] = true
		}
	}
	for e, seen := range want {
		if !seen {
			t.Errorf("graph -A -o json has no edge %s", e)
		}
	}
	for _, n := range res.Nodes {
		if n.ID == db && (!n.Failing || strings.Join(n.Blocks, ",") != app) {
			t.Errorf("db = %+v", n)
		}
	}

	out, _, err = runCLI("graph", "-A", "--kubeconfig", c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "\n"+app+" [not ready: DependencyNotReady: ") || !strings.Contains(out, "\n  depends on "+db+" [not ready: InstallFailed: ") {
		t.Errorf("graph -A:\n%s", out)
	}
}
