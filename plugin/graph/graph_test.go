package graph_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/graph"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

func TestMain(m *testing.M) { testcluster.Main(m) }

func TestGraphEdgesBlockingCyclesAndMissing(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "graph")
	if err := fixtures.CreateDiagnose(context.Background(), c.Dynamic, ns); err != nil {
		t.Fatal(err)
	}
	res, err := operation.Execute(context.Background(), testcluster.Cache(c.Kubeconfig), &graph.Options{Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	id := func(kind, name string) string { return graph.ID(kind, ns, name) }
	ks := func(name string) string { return id("Kustomization", name) }
	// 9 Kustomizations, 2 GitRepositories, 1 missing dependency.
	if len(res.Nodes) != 12 {
		t.Fatalf("nodes = %d: %+v", len(res.Nodes), res.Nodes)
	}
	apps := res.Node(ks("apps"))
	if apps == nil || strings.Join(apps.BlockedBy, ",") != ks("infra") {
		t.Errorf("apps = %+v, want blocked by infra", apps)
	}
	infra := res.Node(ks("infra"))
	if !infra.Failing || strings.Join(infra.Blocks, ",") != ks("apps") || infra.Reason != "HealthCheckFailed" {
		t.Errorf("infra = %+v", infra)
	}
	broken := res.Node(id("GitRepository", "broken"))
	if !broken.Failing || strings.Join(broken.Blocks, ",") != ks("frontend") {
		t.Errorf("broken = %+v", broken)
	}
	if fleet := res.Node(id("GitRepository", "fleet")); fleet.Failing || len(fleet.Blocks) != 0 {
		t.Errorf("fleet = %+v", fleet)
	}
	if len(res.Cycles) != 1 || strings.Join(res.Cycles[0], ",") != ks("loop-a")+","+ks("loop-b") {
		t.Errorf("cycles = %v", res.Cycles)
	}
	if len(res.Missing) != 1 || res.Missing[0] != (graph.Edge{From: ks("orphan"), To: ks("nowhere"), Type: "dependsOn"}) {
		t.Errorf("missing = %+v", res.Missing)
	}
	if n := res.Node(ks("nowhere")); n == nil || n.Exists || n.State() != "missing" {
		t.Errorf("nowhere = %+v", n)
	}
	if p := res.Node(ks("parent")); !p.Suspended || !p.Failing {
		t.Errorf("parent = %+v", p)
	}

	txt := res.Text()
	for _, want := range []string{
		"12 nodes, 13 edges, 10 failing, 1 cycles, 1 missing references\n",
		"\n" + ks("apps") + " [not ready: DependencyNotReady: dependency '" + ns + "/infra' is not ready]\n  source " + id("GitRepository", "fleet") + " [ready]\n  depends on " + ks("infra") + " [not ready: HealthCheckFailed:",
		"] blocks 1\n    source " + id("GitRepository", "fleet") + " [ready]\n",
		"\n  depends on " + ks("nowhere") + " [missing] blocks 1\n",
		"\n" + ks("parent") + " [suspended, ready]\n",
		"\n    depends on " + ks("loop-a") + " [not ready: DependencyNotReady: dependency '" + ns + "/loop-b' is not ready] blocks 1 (cycle)\n",
		"\ncycle: " + ks("loop-a") + " -> " + ks("loop-b") + " -> " + ks("loop-a") + "\n",
		"\nmissing: " + ks("orphan") + " depends on " + ks("nowhere") + "\n",
	} {
		if !strings.Contains(txt, want) {
			t.Errorf("text lacks %q:\n%s", want, txt)
		}
	}
	dot := res.Dot()
	if !strings.HasPrefix(dot, "digraph flux {") || !strings.Contains(dot, "\""+ks("apps")+"\" -> \""+ks("infra")+"\";") ||
		!strings.Contains(dot, "\""+ks("apps")+"\" -> \""+id("GitRepository", "fleet")+"\" [style=dotted];") {
		t.Errorf("dot:\n%s", dot)
	}
}

func TestGraphForbiddenListIsAnError(t *testing.T) {
	c := testcluster.Get(t)
	kc := c.AddUser(t, "graph-nobody")
	_, err := operation.Execute(context.Background(), testcluster.Cache(kc), &graph.Options{Namespace: "default"})
	if err == nil || !strings.Contains(err.Error(), "cannot list Kustomizations or HelmReleases") || !strings.Contains(err.Error(), "forbidden") {
		t.Fatalf("err = %v", err)
	}
}
