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

func edges(res *graph.Result) map[graph.Edge]bool {
	out := map[graph.Edge]bool{}
	for _, e := range res.Edges {
		out[e] = true
	}
	return out
}

// TestGraphHelmReleasesAndAllNamespaces: a HelmRelease's dependsOn (across namespaces) and chart
// source edges, through spec.chartRef to a HelmChart and its own source, and through
// spec.chart.spec.sourceRef; -A graphs every namespace, one namespace only its objects and
// what they reference.
func TestGraphHelmReleasesAndAllNamespaces(t *testing.T) {
	c := testcluster.Get(t)
	ns, other := c.Namespace(t, "graph-helm"), c.Namespace(t, "graph-db")
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.GraphHelmSample(ns, other)); err != nil {
		t.Fatal(err)
	}
	app, db := graph.ID("HelmRelease", ns, "app"), graph.ID("HelmRelease", other, "db")
	chart, repo := graph.ID("HelmChart", ns, "app-chart"), graph.ID("GitRepository", ns, "charts-repo")
	helmRepo, solo := graph.ID("HelmRepository", other, "charts"), graph.ID("Kustomization", other, "solo")
	want := []graph.Edge{
		{From: app, To: chart, Type: "source"},
		{From: chart, To: repo, Type: "source"},
		{From: app, To: db, Type: "dependsOn"},
		{From: db, To: helmRepo, Type: "source"},
	}
	cache := testcluster.Cache(c.Kubeconfig)

	res, err := operation.Execute(context.Background(), cache, &graph.Options{Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	got := edges(res)
	for _, e := range want {
		if !got[e] {
			t.Errorf("-n %s: no edge %+v in %+v", ns, e, res.Edges)
		}
	}
	if len(res.Nodes) != 5 || res.Node(solo) != nil {
		t.Errorf("-n %s: nodes = %+v, want app, its chart, its repository, db and db's repository", ns, res.Nodes)
	}
	if n := res.Node(app); n == nil || strings.Join(n.BlockedBy, ",") != chart+","+db {
		t.Errorf("app = %+v, want blocked by its chart and db", n)
	}
	if n := res.Node(db); n == nil || !n.Failing || n.Reason != "InstallFailed" || strings.Join(n.Blocks, ",") != app {
		t.Errorf("db = %+v", n)
	}
	if n := res.Node(chart); n == nil || strings.Join(n.Blocks, ",") != app {
		t.Errorf("chart = %+v", n)
	}
	if n := res.Node(repo); n == nil || n.Failing || len(n.Blocks) != 0 {
		t.Errorf("charts-repo = %+v", n)
	}
	if txt := res.Text(); !strings.Contains(txt, "\n"+app+" [not ready: DependencyNotReady: ") || !strings.Contains(txt, "  source "+chart+" [not ready: ChartPackageError: ") {
		t.Errorf("text:\n%s", txt)
	}

	res, err = operation.Execute(context.Background(), cache, &graph.Options{AllNamespaces: true})
	if err != nil {
		t.Fatal(err)
	}
	got = edges(res)
	for _, e := range append(want, graph.Edge{From: solo, To: graph.ID("GitRepository", other, "solo-repo"), Type: "source"}) {
		if !got[e] {
			t.Errorf("-A: no edge %+v", e)
		}
	}
	if n := res.Node(solo); n == nil || n.Failing {
		t.Errorf("-A: solo = %+v", n)
	}
}
