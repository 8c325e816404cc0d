package tree_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/client-go/rest"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/tree"
)

func TestMain(m *testing.M) { testcluster.Main(m) }

var hrGVR = schema.GroupVersionResource{Group: "helm.toolkit.fluxcd.io", Version: "v2", Resource: "helmreleases"}

func newCache(kubeconfig string, wrap func(*rest.Config) *rest.Config) *cluster.Cache {
	flags := genericclioptions.NewConfigFlags(false)
	flags.KubeConfig = &kubeconfig
	flags.WrapConfigFn = wrap
	return cluster.NewCache(flags)
}

func run(t *testing.T, cache *cluster.Cache, o *tree.Options) (*tree.Result, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	return operation.Execute(ctx, cache, o)
}

func sample(t *testing.T) (*testcluster.Cluster, string) {
	t.Helper()
	c := testcluster.Get(t)
	ns := c.Namespace(t, "tree")
	if err := fixtures.CreateTree(context.Background(), c.Kube, c.Dynamic, ns); err != nil {
		t.Fatal(err)
	}
	return c, ns
}

// shape renders a tree as "ref state" lines, indented by depth, for whole-tree comparisons.
func shape(res *tree.Result) string {
	var b strings.Builder
	for i, n := range res.Nodes {
		state := "exists"
		switch {
		case n.Error != "":
			state = "unknown"
		case !n.Exists:
			state = "missing"
		}
		if n.Ready != "" {
			state += " ready=" + n.Ready
		}
		if i > 0 && res.Nodes[n.Parent].Depth != n.Depth-1 {
			state += " BAD PARENT"
		}
		fmt.Fprintf(&b, "%s%s %s\n", strings.Repeat("  ", n.Depth), n.Ref(), state)
	}
	return b.String()
}

// node finds a node by Kind/namespace/name.
func node(t *testing.T, res *tree.Result, ref string) *tree.Node {
	t.Helper()
	for i := range res.Nodes {
		if res.Nodes[i].Ref() == ref {
			return &res.Nodes[i]
		}
	}
	t.Fatalf("no node %s in\n%s", ref, shape(res))
	return nil
}

func TestTreeOfKustomizationMarksLiveState(t *testing.T) {
	c, ns := sample(t)
	res, err := run(t, newCache(c.Kubeconfig, nil), &tree.Options{Kind: "ks", Name: "parent", Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	got := shape(res)
	want := strings.ReplaceAll(`Kustomization/NS/parent exists ready=True
  Namespace/NS exists
  ConfigMap/NS/cm-a exists
  ConfigMap/NS/cm-b exists
  ConfigMap/NS/cm-gone missing
  Deployment/NS/web exists
  Kustomization/NS/child exists ready=False
    ConfigMap/NS/cm-c exists
  HelmRelease/NS/podinfo exists ready=False
    Service/NS/podinfo exists
    Deployment/NS/podinfo exists
    ClusterRole/podinfo:reader missing
  Widget/NS/gizmo unknown
`, "NS", ns)
	if got != want {
		t.Fatalf("tree:\n%s\nwant:\n%s", got, want)
	}
	if res.Objects != 12 || res.Missing != 2 || res.NotReady != 2 || res.Unknown != 1 {
		t.Errorf("counts = %+v", res)
	}
	widget := node(t, res, "Widget/"+ns+"/gizmo")
	if widget.Error != "the kind Widget.example.com is not served by the cluster" {
		t.Errorf("widget error = %q", widget.Error)
	}
	child := node(t, res, "Kustomization/"+ns+"/child")
	if child.APIVersion != "kustomize.toolkit.fluxcd.io/v1" || child.Group != "kustomize.toolkit.fluxcd.io" || !strings.Contains(child.Message, "health check failed") {
		t.Errorf("child = %+v", child)
	}
	if dep := node(t, res, "Deployment/"+ns+"/web"); dep.APIVersion != "apps/v1" || dep.Ready != "" {
		t.Errorf("deployment = %+v, want apps/v1 with no Ready condition", dep)
	}

	var out strings.Builder
	if err := res.Print(&out); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"Kustomization/" + ns + "/parent  ✔ ready",
		"├── ConfigMap/" + ns + "/cm-gone  ✗ missing",
		"├── Kustomization/" + ns + "/child  ✗ not ready: health check failed",
		"│   └── ConfigMap/" + ns + "/cm-c",
		"│   └── ClusterRole/podinfo:reader  ✗ missing",
		"└── Widget/" + ns + "/gizmo  ? the kind Widget.example.com is not served",
		"12 objects, 2 missing, 2 not ready, 1 unknown",
	} {
		if !strings.Contains(out.String(), line) {
			t.Errorf("printed tree lacks %q:\n%s", line, out.String())
		}
	}
	text := res.Text()
	if !strings.Contains(text, "\n  ConfigMap "+ns+"/cm-gone [missing]\n") || !strings.Contains(text, "\n    ConfigMap "+ns+"/cm-c\n") {
		t.Errorf("text tree:\n%s", text)
	}
}

func TestTreeDepthLimit(t *testing.T) {
	c, ns := sample(t)
	cache := newCache(c.Kubeconfig, nil)
	res, err := run(t, cache, &tree.Options{Kind: "resourceset", Name: "platform", Namespace: ns, Depth: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Nodes) != 2 || res.Objects != 1 {
		t.Fatalf("depth 1:\n%s", shape(res))
	}
	parent := res.Nodes[1]
	if parent.Name != "parent" || !strings.Contains(parent.Note, "depth limit 1") {
		t.Errorf("parent at the depth limit = %+v", parent)
	}
	res, err = run(t, cache, &tree.Options{Kind: "rset", Name: "platform", Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	if cmc := node(t, res, "ConfigMap/"+ns+"/cm-c"); res.Objects != 13 || cmc.Depth != 3 || res.Nodes[cmc.Parent].Name != "child" {
		t.Errorf("unlimited depth should reach cm-c through parent and child:\n%s", shape(res))
	}
}

func TestTreeOfHelmReleaseReadsTheDeployedRelease(t *testing.T) {
	c, ns := sample(t)
	res, err := run(t, newCache(c.Kubeconfig, nil), &tree.Options{Kind: "hr", Name: "podinfo", Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	got := shape(res)
	// v2 is deployed; v1 (superseded) and v3 (failed) hold objects that must not show.
	want := strings.ReplaceAll(`HelmRelease/NS/podinfo exists ready=False
  Service/NS/podinfo exists
  Deployment/NS/podinfo exists
  ClusterRole/podinfo:reader missing
`, "NS", ns)
	if got != want {
		t.Fatalf("tree:\n%s\nwant:\n%s", got, want)
	}

	// A release that was never stored says so instead of failing.
	hr, err := c.Dynamic.Resource(hrGVR).Namespace(ns).Get(context.Background(), "podinfo", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := unstructured.SetNestedField(hr.Object, "other", "spec", "releaseName"); err != nil {
		t.Fatal(err)
	}
	hr.SetResourceVersion("")
	hr.SetName("other")
	if _, err := c.Dynamic.Resource(hrGVR).Namespace(ns).Create(context.Background(), hr, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	res, err = run(t, newCache(c.Kubeconfig, nil), &tree.Options{Kind: "hr", Name: "other", Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Nodes) != 1 || res.Root().Note != `no Helm release "other" stored in namespace `+ns {
		t.Errorf("root = %+v", res.Nodes)
	}
}

func TestTreeErrors(t *testing.T) {
	c, ns := sample(t)
	cache := newCache(c.Kubeconfig, nil)
	cases := []struct {
		o    *tree.Options
		want string
	}{
		{&tree.Options{Kind: "ks", Name: "ghost", Namespace: ns}, `Kustomization "ghost" not found in namespace "` + ns + `"; Kustomization objects there: child, parent`},
		{&tree.Options{Kind: "fi", Name: "ghost", Namespace: ns}, `FluxInstance "ghost" not found in namespace "` + ns + `"; there is no FluxInstance in that namespace`},
		{&tree.Options{Kind: "gitrepo", Name: "fleet", Namespace: ns}, "GitRepository has no inventory: tree works on Kustomization, HelmRelease, ResourceSet and FluxInstance"},
		{&tree.Options{Kind: "deployment", Name: "web", Namespace: ns}, `unknown Flux kind "deployment"`},
		{&tree.Options{Kind: "ks", Namespace: ns}, "a name is required"},
		{&tree.Options{Kind: "ks", Name: "parent", Namespace: ns, Depth: -1}, "invalid depth -1"},
	}
	for _, tc := range cases {
		if _, err := run(t, cache, tc.o); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v, want %q", tc.o, err, tc.want)
		}
	}
}

// requestLog records the resource requests a client makes (discovery excluded).
type requestLog struct {
	mu    sync.Mutex
	paths []string
}

func (l *requestLog) wrap(cfg *rest.Config) *rest.Config {
	cfg.Wrap(func(rt http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if p := r.URL.Path; strings.Count(p, "/") > 3 || strings.HasPrefix(p, "/api/v1/") {
				l.mu.Lock()
				l.paths = append(l.paths, r.Method+" "+p)
				l.mu.Unlock()
			}
			return rt.RoundTrip(r)
		})
	})
	return cfg
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// bigTree creates a Kustomization whose 2,000-entry inventory spans ConfigMaps in seven namespaces
// (some exist, most are gone) and Secrets; it returns the namespaces.
func bigTree(t *testing.T, c *testcluster.Cluster) (string, []string) {
	t.Helper()
	ctx := context.Background()
	ns := c.Namespace(t, "big")
	nss := []string{ns}
	for i := 0; i < 6; i++ {
		nss = append(nss, c.Namespace(t, "big-extra"))
	}
	var entries []map[string]any
	for i := 0; i < 1400; i++ {
		n := nss[i%len(nss)]
		name := fmt.Sprintf("cm-%04d", i)
		entries = append(entries, fixtures.Entry(n, name, "", "ConfigMap", "v1"))
		if i%10 == 0 {
			cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: n}}
			if _, err := c.Kube.CoreV1().ConfigMaps(n).Create(ctx, cm, metav1.CreateOptions{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i := 0; i < 600; i++ {
		entries = append(entries, fixtures.Entry(ns, fmt.Sprintf("secret-%04d", i), "", "Secret", "v1"))
	}
	s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "secret-0000", Namespace: ns}, StringData: map[string]string{"password": "hunter2"}}
	if _, err := c.Kube.CoreV1().Secrets(ns).Create(ctx, s, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	c.Create(t, fixtures.Object{Plural: "kustomizations", Manifest: fmt.Sprintf(`
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: big, namespace: %s}
spec: {interval: 10m, path: ./, prune: true, sourceRef: {kind: GitRepository, name: fleet}}`, ns),
		Status: fixtures.Ready("True", "ReconciliationSucceeded", "Applied", fixtures.Inventory(entries...))})
	return ns, nss
}

func TestTreeOf2000EntriesListsEachKindOnce(t *testing.T) {
	c := testcluster.Get(t)
	ns, _ := bigTree(t, c)
	log := &requestLog{}
	cache := newCache(c.Kubeconfig, log.wrap)
	start := time.Now()
	res, err := run(t, cache, &tree.Options{Kind: "ks", Name: "big", Namespace: ns})
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if res.Objects != 2000 || res.Missing != 2000-140-1 {
		t.Fatalf("objects=%d missing=%d, want 2000 and %d", res.Objects, res.Missing, 2000-140-1)
	}
	want := []string{
		"GET /apis/kustomize.toolkit.fluxcd.io/v1/namespaces/" + ns + "/kustomizations/big",
		"GET /api/v1/configmaps",
		"GET /api/v1/namespaces/" + ns + "/secrets",
	}
	got := map[string]bool{}
	for _, p := range log.paths {
		got[p] = true
	}
	if len(log.paths) != len(want) {
		t.Errorf("requests = %v, want one GET of the root and one list per kind: %v", log.paths, want)
	}
	for _, w := range want {
		if !got[w] {
			t.Errorf("missing request %q in %v", w, log.paths)
		}
	}
	t.Logf("2,000-entry tree read in %s with %d resource requests", took, len(log.paths))
	if took > 10*time.Second {
		t.Errorf("tree of 2,000 entries took %s", took)
	}
	text := res.Text()
	if strings.Count(text, "\n") > 5 || !strings.Contains(text, "1859 missing: ConfigMap ×1260, Secret ×599; e.g. ConfigMap/") ||
		!strings.Contains(text, "(141 healthy objects not listed") {
		t.Errorf("text of a big tree should keep only what matters:\n%s", text)
	}
}

func TestTreeFallsBackToNamespaceListsWhenClusterWideIsForbidden(t *testing.T) {
	c := testcluster.Get(t)
	ns, nss := bigTree(t, c)
	for _, n := range nss {
		c.Grant(t, "tree-reader", n, rbacv1.PolicyRule{
			APIGroups: []string{"", "kustomize.toolkit.fluxcd.io"}, Resources: []string{"configmaps", "secrets", "kustomizations"}, Verbs: []string{"get", "list"},
		})
	}
	kc := c.AddUser(t, "tree-reader")
	log := &requestLog{}
	res, err := run(t, newCache(kc, log.wrap), &tree.Options{Kind: "ks", Name: "big", Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	if res.Unknown != 0 || res.Objects-res.Missing != 141 {
		t.Fatalf("unknown=%d existing=%d, want 0 and 141 (%v)", res.Unknown, res.Objects-res.Missing, log.paths)
	}
	// One forbidden cluster-wide list, then one list per namespace.
	if len(log.paths) != 1+1+len(nss)+1 {
		t.Errorf("requests = %v", log.paths)
	}
}

// Compact keeps the failing and missing objects before healthy ones, each with its ancestors, and
// the text still describes the whole tree.
func TestCompactKeepsWhatMattersFirst(t *testing.T) {
	c := testcluster.Get(t)
	ns, _ := bigTree(t, c)
	res, err := run(t, newCache(c.Kubeconfig, nil), &tree.Options{Kind: "ks", Name: "big", Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	full := res.Text()
	res.Compact(50)
	if len(res.Nodes) != 51 || res.Omitted != 2001-51 || res.Objects != 2000 || res.Missing != 2000-140-1 {
		t.Fatalf("nodes=%d omitted=%d objects=%d missing=%d", len(res.Nodes), res.Omitted, res.Objects, res.Missing)
	}
	for i, n := range res.Nodes[1:] {
		if n.Parent < 0 || n.Parent > i {
			t.Fatalf("node %d (%s) has parent %d: parents must come first", i+1, n.Ref(), n.Parent)
		}
		if n.Exists && n.Error == "" && (n.Ready == "" || n.Ready == "True") {
			t.Errorf("a healthy object %s was kept while missing ones were left out", n.Ref())
		}
	}
	if text := res.Text(); !strings.HasPrefix(text, full) || !strings.Contains(text, "nodes holds 50 of the 2000 objects: 1950 left out") ||
		!strings.Contains(res.Notice, "raise limit") {
		t.Errorf("text after Compact:\n%s\nnotice %q", text, res.Notice)
	}
	// A tree within the limit is left whole.
	small, err := run(t, newCache(c.Kubeconfig, nil), &tree.Options{Kind: "ks", Name: "big", Namespace: ns, Depth: 1})
	if err != nil {
		t.Fatal(err)
	}
	before := len(small.Nodes)
	small.Compact(before)
	if len(small.Nodes) != before || small.Omitted != 0 || small.Notice != "" {
		t.Errorf("a tree within the limit changed: %d -> %d nodes, notice %q", before, len(small.Nodes), small.Notice)
	}
}

// A FluxInstance's tree starts from its status.inventory and expands what its sync Kustomization
// applied, down through a ResourceSet; the deleted controller Deployment is marked missing.
func TestTreeOfFluxInstance(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "tree-fi")
	if err := fixtures.CreateFluxInstanceTree(context.Background(), c.Kube, c.Dynamic, ns); err != nil {
		t.Fatal(err)
	}
	res, err := run(t, newCache(c.Kubeconfig, nil), &tree.Options{Kind: "fi", Name: "flux", Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.ReplaceAll(`FluxInstance/NS/flux exists ready=True
  Deployment/NS/source-controller exists
  Deployment/NS/kustomize-controller exists
  Deployment/NS/image-reflector-controller missing
  GitRepository/NS/flux-system exists ready=True
  Kustomization/NS/flux-system exists ready=True
    ConfigMap/NS/cluster-vars exists
    ResourceSet/NS/tenants exists ready=True
      Kustomization/NS/tenant-a exists ready=True
        ConfigMap/NS/tenant-a-settings exists
`, "NS", ns)
	if got := shape(res); got != want {
		t.Fatalf("tree:\n%s\nwant:\n%s", got, want)
	}
	if res.Objects != 9 || res.Missing != 1 || res.NotReady != 0 || res.Unknown != 0 {
		t.Errorf("counts = %+v", res)
	}
	if root := node(t, res, "FluxInstance/"+ns+"/flux"); root.APIVersion != "fluxcd.controlplane.io/v1" || root.Message != "Reconciliation finished" {
		t.Errorf("root = %+v", root)
	}
	// --depth 1 stops at what the instance applied itself.
	res, err = run(t, newCache(c.Kubeconfig, nil), &tree.Options{Kind: "FluxInstance", Name: "flux", Namespace: ns, Depth: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Nodes) != 6 || strings.Contains(shape(res), "cluster-vars") {
		t.Errorf("depth 1:\n%s", shape(res))
	}
}
