package trace_test

import (
	"context"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/trace"
)

func TestMain(m *testing.M) { testcluster.Main(m) }

func run(t *testing.T, cache *cluster.Cache, o *trace.Options) (*trace.Result, error) {
	t.Helper()
	return testcluster.Run[*trace.Result](t, cache, o)
}

func sample(t *testing.T) (*testcluster.Cluster, string) {
	t.Helper()
	c := testcluster.Get(t)
	ns := c.Namespace(t, "trace")
	if err := fixtures.CreateTree(context.Background(), c.Kube, c.Dynamic, ns); err != nil {
		t.Fatal(err)
	}
	return c, ns
}

func refs(res *trace.Result) string {
	var out []string
	for _, l := range res.Levels {
		out = append(out, l.Ref())
	}
	return strings.Join(out, " <- ")
}

func TestTraceConfigMapThroughNestedKustomizations(t *testing.T) {
	c, ns := sample(t)
	res, err := run(t, testcluster.Cache(c.Kubeconfig), &trace.Options{Kind: "cm", Name: "cm-c", Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	want := "ConfigMap/NS/cm-c <- Kustomization/NS/child <- Kustomization/NS/parent <- ResourceSet/NS/platform"
	if got := refs(res); got != strings.ReplaceAll(want, "NS", ns) {
		t.Fatalf("chain = %s", got)
	}
	if !res.Managed || res.Message != "" {
		t.Errorf("managed=%v message=%q", res.Managed, res.Message)
	}
	cm, child, parent, rset := res.Levels[0], res.Levels[1], res.Levels[2], res.Levels[3]
	if cm.APIVersion != "v1" || cm.Ready != "" || cm.Source != nil || !cm.Exists {
		t.Errorf("object level = %+v", cm)
	}
	if child.Via != "label kustomize.toolkit.fluxcd.io/name" || child.Ready != "False" || child.Reason != "HealthCheckFailed" ||
		child.Revision != fixtures.TreeGitRevision || child.APIVersion != "kustomize.toolkit.fluxcd.io/v1" {
		t.Errorf("child level = %+v", child)
	}
	src := child.Source
	if src == nil || src.Ref() != "GitRepository/"+ns+"/fleet" || src.URL != fixtures.TreeGitURL || src.Revision != fixtures.TreeGitRevision || src.Ready != "True" || !src.Exists {
		t.Errorf("child source = %+v", src)
	}
	if parent.Ready != "True" || parent.Source == nil || parent.Source.Name != "fleet" {
		t.Errorf("parent level = %+v", parent)
	}
	if rset.Via != "label resourceset.fluxcd.controlplane.io/name" || rset.Revision != "sha256:rset1" || rset.Ready != "True" || rset.Source != nil {
		t.Errorf("resourceset level = %+v", rset)
	}

	var out strings.Builder
	if err := res.Print(&out); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"ConfigMap:       cm-c\n", "Status:          Managed by Flux\n", "Kustomization:   child\n",
		"Ready:           False HealthCheckFailed\n", "Source:          GitRepository/" + ns + "/fleet\n",
		"Source URL:      " + fixtures.TreeGitURL + "\n", "Source revision: " + fixtures.TreeGitRevision + "\n", "ResourceSet:     platform\n"} {
		if !strings.Contains(out.String(), line) {
			t.Errorf("printed trace lacks %q:\n%s", line, out.String())
		}
	}
	if text := res.Text(); strings.Count(text, "\n") != 4 || !strings.Contains(text, "<- Kustomization "+ns+"/child (via label kustomize.toolkit.fluxcd.io/name): Ready=False HealthCheckFailed; revision "+fixtures.TreeGitRevision) {
		t.Errorf("text:\n%s", text)
	}
}

func TestTraceDeploymentOfAHelmRelease(t *testing.T) {
	c, ns := sample(t)
	res, err := run(t, testcluster.Cache(c.Kubeconfig), &trace.Options{Kind: "deploy", Name: "podinfo", Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := refs(res), strings.ReplaceAll("Deployment/NS/podinfo <- HelmRelease/NS/podinfo <- Kustomization/NS/parent <- ResourceSet/NS/platform", "NS", ns); got != want {
		t.Fatalf("chain = %s, want %s", got, want)
	}
	hr := res.Levels[1]
	if hr.Via != "label helm.toolkit.fluxcd.io/name" || hr.Ready != "False" || hr.Revision != "6.7.2" || !strings.Contains(hr.Message, "Helm upgrade failed") {
		t.Errorf("helmrelease level = %+v", hr)
	}
	if s := hr.Source; s == nil || s.Ref() != "HelmRepository/"+ns+"/podinfo" || s.URL != fixtures.TreeHelmURL || s.Revision != fixtures.TreeHelmRevision {
		t.Errorf("helmrelease source = %+v", s)
	}
}

func TestTracePodClimbsOwnerReferences(t *testing.T) {
	c, ns := sample(t)
	ctx := context.Background()
	dep, err := c.Kube.AppsV1().Deployments(ns).Get(ctx, "web", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rs := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: "web-5d4f", Namespace: ns, OwnerReferences: []metav1.OwnerReference{
			{APIVersion: "apps/v1", Kind: "Deployment", Name: "web", UID: dep.UID, Controller: ptr.To(true)}}},
		Spec: appsv1.ReplicaSetSpec{Selector: dep.Spec.Selector, Template: dep.Spec.Template},
	}
	if rs, err = c.Kube.AppsV1().ReplicaSets(ns).Create(ctx, rs, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "web-5d4f-x7k2p", Namespace: ns, OwnerReferences: []metav1.OwnerReference{
			{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: rs.Name, UID: rs.UID, Controller: ptr.To(true)}}},
		Spec: dep.Spec.Template.Spec,
	}
	if _, err := c.Kube.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	res, err := run(t, testcluster.Cache(c.Kubeconfig), &trace.Options{Kind: "po", Name: pod.Name, Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.ReplaceAll("Pod/NS/web-5d4f-x7k2p <- ReplicaSet/NS/web-5d4f <- Deployment/NS/web <- Kustomization/NS/parent <- ResourceSet/NS/platform", "NS", ns)
	if got := refs(res); got != want || res.Levels[1].Via != "ownerReference" || !res.Managed {
		t.Fatalf("chain = %s (managed=%v), want %s", got, res.Managed, want)
	}
}

func TestTraceObjectsFluxDoesNotManage(t *testing.T) {
	c, ns := sample(t)
	ctx := context.Background()
	cache := testcluster.Cache(c.Kubeconfig)
	plain := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "hand-made", Namespace: ns}}
	if _, err := c.Kube.CoreV1().ConfigMaps(ns).Create(ctx, plain, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	res, err := run(t, cache, &trace.Options{Kind: "ConfigMap", Name: "hand-made", Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	if res.Managed || len(res.Levels) != 1 || !strings.Contains(res.Message, "ConfigMap/"+ns+"/hand-made is not managed by Flux: it carries none of the labels") {
		t.Errorf("unmanaged: %+v", res)
	}
	var out strings.Builder
	_ = res.Print(&out)
	if !strings.Contains(out.String(), "Status:          Not managed by Flux") {
		t.Errorf("printed:\n%s", out.String())
	}

	// Cluster-scoped, fully qualified.
	res, err = run(t, cache, &trace.Options{Kind: "namespaces", APIVersion: "v1", Name: ns})
	if err != nil || res.Managed || res.Levels[0].Ref() != "Namespace/"+ns {
		t.Errorf("namespace: %+v %v", res, err)
	}

	// The top of a chain is a Flux object that nothing applied.
	res, err = run(t, cache, &trace.Options{Kind: "resourcesets.fluxcd.controlplane.io", Name: "platform", Namespace: ns})
	if err != nil || res.Managed || res.Message != "ResourceSet/"+ns+"/platform was not applied by another Flux object: it is the top of its chain" {
		t.Errorf("top: %+v %v", res, err)
	}

	// A label that names a deleted Kustomization.
	orphan := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "orphan", Namespace: ns,
		Labels: map[string]string{fixtures.KustomizeNameLabel: "ghost", fixtures.KustomizeNamespaceLabel: ns}}}
	if _, err := c.Kube.CoreV1().ConfigMaps(ns).Create(ctx, orphan, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err = run(t, cache, &trace.Options{Kind: "Kustomization", APIVersion: "v1", Name: "x"})
	if err == nil || !strings.Contains(err.Error(), `the server doesn't have a resource type "Kustomization in v1"`) {
		t.Errorf("kind in the wrong API version: %v", err)
	}
	res, err = run(t, cache, &trace.Options{Kind: "configmap", Name: "orphan", Namespace: ns})
	if err != nil || !res.Managed || len(res.Levels) != 2 || res.Levels[1].Exists ||
		res.Message != "Kustomization/"+ns+"/ghost is named by the label kustomize.toolkit.fluxcd.io/name but does not exist" {
		t.Errorf("dangling owner: %+v %v", res, err)
	}
}

func TestTraceErrors(t *testing.T) {
	c, ns := sample(t)
	cache := testcluster.Cache(c.Kubeconfig)
	cases := []struct {
		o    *trace.Options
		want string
	}{
		{&trace.Options{Kind: "widgets", Name: "x", Namespace: ns}, `the server doesn't have a resource type "widgets"`},
		{&trace.Options{Kind: "cm", Name: "nope", Namespace: ns}, `ConfigMap "nope" not found in namespace "` + ns + `"; ConfigMap objects there: `},
		{&trace.Options{Kind: "ks", Name: "chlid", Namespace: ns}, `Kustomization "chlid" not found in namespace "` + ns + `"; Kustomization objects there: child, parent`},
		{&trace.Options{Kind: "ns", Name: "nope"}, `Namespace "nope" not found; `},
		{&trace.Options{Kind: "cm", Namespace: ns}, "a name is required: the ConfigMap to trace"},
		{&trace.Options{Name: "x"}, "a kind is required"},
		{&trace.Options{Kind: "Kustomization", APIVersion: "a/b/c", Name: "x"}, `invalid API version "a/b/c"`},
	}
	for _, tc := range cases {
		if _, err := run(t, cache, tc.o); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v, want %q", tc.o, err, tc.want)
		}
	}
	// The Kind with its API version works as flux trace --kind --api-version does.
	res, err := run(t, cache, &trace.Options{Kind: "Kustomization", APIVersion: "kustomize.toolkit.fluxcd.io/v1", Name: "child", Namespace: ns})
	if err != nil || len(res.Levels) != 3 {
		t.Errorf("kind with api version: %+v %v", res, err)
	}
}

// The climb ends at the FluxInstance: through Kustomization, ResourceSet and the instance's sync
// Kustomization from a ConfigMap, and in one step from a controller Deployment the instance
// applied (labels fluxcd.controlplane.io/name and namespace).
func TestTraceUpToAFluxInstance(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "trace-fi")
	if err := fixtures.CreateFluxInstanceTree(context.Background(), c.Kube, c.Dynamic, ns); err != nil {
		t.Fatal(err)
	}
	res, err := run(t, testcluster.Cache(c.Kubeconfig), &trace.Options{Kind: "cm", Name: "tenant-a-settings", Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.ReplaceAll("ConfigMap/NS/tenant-a-settings <- Kustomization/NS/tenant-a <- ResourceSet/NS/tenants <- Kustomization/NS/flux-system <- FluxInstance/NS/flux", "NS", ns)
	if got := refs(res); got != want {
		t.Fatalf("chain = %s, want %s", got, want)
	}
	if !res.Managed || res.Message != "" {
		t.Errorf("managed=%v message=%q", res.Managed, res.Message)
	}
	rset, sync, fi := res.Levels[2], res.Levels[3], res.Levels[4]
	if rset.Via != "label resourceset.fluxcd.controlplane.io/name" || rset.Revision != "sha256:tenants1" {
		t.Errorf("resourceset level = %+v", rset)
	}
	if sync.Via != "label kustomize.toolkit.fluxcd.io/name" || sync.Source == nil || sync.Source.Ref() != "GitRepository/"+ns+"/flux-system" ||
		sync.Source.URL != fixtures.TreeGitURL || sync.Source.Revision != fixtures.TreeGitRevision {
		t.Errorf("sync Kustomization level = %+v (source %+v)", sync, sync.Source)
	}
	if fi.Via != "label fluxcd.controlplane.io/name" || fi.Ready != "True" || fi.Reason != "ReconciliationSucceeded" ||
		fi.Revision != fixtures.FluxInstanceRevision || fi.APIVersion != "fluxcd.controlplane.io/v1" || !fi.Exists || fi.Source != nil {
		t.Errorf("fluxinstance level = %+v", fi)
	}
	var out strings.Builder
	if err := res.Print(&out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "FluxInstance:    flux\n") {
		t.Errorf("printed trace lacks the FluxInstance:\n%s", out.String())
	}

	res, err = run(t, testcluster.Cache(c.Kubeconfig), &trace.Options{Kind: "deploy", Name: "source-controller", Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	if got := refs(res); got != "Deployment/"+ns+"/source-controller <- FluxInstance/"+ns+"/flux" || res.Levels[1].Via != "label fluxcd.controlplane.io/name" {
		t.Fatalf("chain = %s (via %q)", got, res.Levels[1].Via)
	}
}
