package suspend_test

import (
	"context"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	tc "github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcontroller"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/reconcile"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/suspend"
)

func TestMain(m *testing.M) { testcluster.Main(m) }

var (
	ksGVR   = schema.GroupVersionResource{Group: "kustomize.toolkit.fluxcd.io", Version: "v1", Resource: "kustomizations"}
	rsetGVR = schema.GroupVersionResource{Group: "fluxcd.controlplane.io", Version: "v1", Resource: "resourcesets"}
)

func run(t *testing.T, kubeconfig string, o *suspend.Options) (*reconcile.Result, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return operation.Execute(ctx, testcluster.Cache(kubeconfig), o)
}

func get(t *testing.T, c *testcluster.Cluster, gvr schema.GroupVersionResource, ns, name string) *unstructured.Unstructured {
	t.Helper()
	obj, err := c.Dynamic.Resource(gvr).Namespace(ns).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return obj
}

func one(name string) reconcile.Selection { return reconcile.Selection{Names: []string{name}} }

func TestSuspendAndResumeAKustomization(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "sus")
	c.Create(t, tc.Kustomization(ns, "apps", "fleet", false, nil))
	ctl := tc.Start(t, c.Config, ns, "Kustomization")
	ctl.Set("Kustomization", "apps", tc.Behaviour{Delay: 100 * time.Millisecond, Revision: "main@sha1:c0ffee"})

	res, err := run(t, c.Kubeconfig, &suspend.Options{Kind: "ks", Selection: one("apps"), Namespace: ns})
	if err != nil || res.Err() != nil {
		t.Fatal(err, res.Err())
	}
	obj := get(t, c, ksGVR, ns, "apps")
	if s, _, _ := unstructured.NestedBool(obj.Object, "spec", "suspend"); !s || !res.Items[0].Changed || !res.Items[0].Suspended {
		t.Fatalf("spec.suspend = %v, item %+v", s, res.Items[0])
	}
	// Suspending again changes nothing.
	res, err = run(t, c.Kubeconfig, &suspend.Options{Kind: "ks", Selection: one("apps"), Namespace: ns})
	if err != nil || res.Items[0].Changed || res.Items[0].Outcome != reconcile.Succeeded {
		t.Fatalf("second suspend: %v %+v", err, res.Items)
	}
	// A suspended object is refused by reconcile.
	if _, err := operation.Execute(context.Background(), testcluster.Cache(c.Kubeconfig), &reconcile.Options{Kind: "ks", Selection: one("apps"), Namespace: ns}); err == nil || !strings.Contains(err.Error(), "is suspended") {
		t.Fatalf("reconcile of a suspended object: %v", err)
	}

	res, err = run(t, c.Kubeconfig, &suspend.Options{Kind: "ks", Selection: one("apps"), Namespace: ns, Resume: true})
	if err != nil || res.Err() != nil {
		t.Fatal(err, res.Err())
	}
	it := res.Items[0]
	if it.Outcome != reconcile.Succeeded || it.Ready != "True" || it.Revision != "main@sha1:c0ffee" || it.Suspended || it.RequestedAt == "" {
		t.Fatalf("resume item = %+v", it)
	}
	obj = get(t, c, ksGVR, ns, "apps")
	if s, found, _ := unstructured.NestedBool(obj.Object, "spec", "suspend"); s || !found {
		t.Fatalf("spec.suspend = %v (found %v), want false", s, found)
	}
	if g, _, _ := unstructured.NestedInt64(obj.Object, "status", "observedGeneration"); g != obj.GetGeneration() {
		t.Fatalf("resume returned before the controller saw generation %d (observed %d)", obj.GetGeneration(), g)
	}
	if ev, _ := ctl.Last("Kustomization", "apps"); ev.RequestedAt != it.RequestedAt {
		t.Fatalf("controller handled %+v, want %s", ev, it.RequestedAt)
	}
}

func TestSuspendAndResumeAResourceSetByAnnotation(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "sus")
	c.Create(t, tc.ResourceSet(ns, "tenants"))
	ctl := tc.Start(t, c.Config, ns, "ResourceSet")
	res, err := run(t, c.Kubeconfig, &suspend.Options{Kind: "rset", Selection: one("tenants"), Namespace: ns})
	if err != nil || res.Err() != nil {
		t.Fatal(err, res.Err())
	}
	obj := get(t, c, rsetGVR, ns, "tenants")
	if v := obj.GetAnnotations()[fluxkinds.OperatorReconcileAnnotation]; v != "disabled" {
		t.Fatalf("annotation = %q, want disabled", v)
	}
	if _, found, _ := unstructured.NestedFieldNoCopy(obj.Object, "spec", "suspend"); found {
		t.Fatal("a ResourceSet has no spec.suspend; it must not be written")
	}
	res, err = run(t, c.Kubeconfig, &suspend.Options{Kind: "ResourceSet", Selection: one("tenants"), Namespace: ns, Resume: true})
	if err != nil || res.Err() != nil {
		t.Fatal(err, res.Err())
	}
	obj = get(t, c, rsetGVR, ns, "tenants")
	if v := obj.GetAnnotations()[fluxkinds.OperatorReconcileAnnotation]; v != "enabled" {
		t.Fatalf("annotation = %q, want enabled", v)
	}
	if ev, ok := ctl.Last("ResourceSet", "tenants"); !ok || ev.RequestedAt != res.Items[0].RequestedAt || res.Items[0].Ready != "True" {
		t.Fatalf("resume did not wait for the reconciliation: %+v %+v", ev, res.Items[0])
	}
}

func TestResumeNoWaitAndBulkSuspend(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "sus")
	for _, n := range []string{"a", "b", "c"} {
		c.Create(t, tc.Kustomization(ns, n, "fleet", n == "c", nil))
	}
	res, err := run(t, c.Kubeconfig, &suspend.Options{Kind: "ks", Selection: reconcile.Selection{All: true}, Namespace: ns})
	if err != nil || res.Err() != nil {
		t.Fatal(err, res.Err())
	}
	if want := (reconcile.Summary{Total: 3, Succeeded: 3, Changed: 2}); res.Summary != want {
		t.Fatalf("summary = %+v, want %+v", res.Summary, want)
	}
	// No controller runs here: without --no-wait this would time out.
	start := time.Now()
	res, err = run(t, c.Kubeconfig, &suspend.Options{Kind: "ks", Selection: reconcile.Selection{Names: []string{"a", "b"}}, Namespace: ns, Resume: true, NoWait: true})
	if err != nil || res.Err() != nil || time.Since(start) > 3*time.Second {
		t.Fatal(err, res.Err(), time.Since(start))
	}
	if want := (reconcile.Summary{Total: 2, Requested: 2, Changed: 2}); res.Summary != want {
		t.Fatalf("summary = %+v, want %+v", res.Summary, want)
	}
	if s, _, _ := unstructured.NestedBool(get(t, c, ksGVR, ns, "c").Object, "spec", "suspend"); !s {
		t.Fatal("c was resumed but not selected")
	}
}

func TestSuspendForbiddenChangesNothing(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "sus")
	c.Create(t, tc.Kustomization(ns, "apps", "fleet", false, nil))
	tc.GrantRead(t, c.Kube, ns, "readers-"+ns)
	kc := c.AddUser(t, "reader-"+ns, "readers-"+ns)
	res, err := run(t, kc, &suspend.Options{Kind: "ks", Selection: one("apps"), Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	if e := res.Err(); e == nil || !strings.Contains(e.Error(), `User "reader-`+ns+`" cannot patch resource "kustomizations"`) {
		t.Fatalf("Err() = %v", e)
	}
	if s, _, _ := unstructured.NestedBool(get(t, c, ksGVR, ns, "apps").Object, "spec", "suspend"); s {
		t.Fatal("suspended despite the 403")
	}
}

func TestSuspendRejectsKindsWithoutASwitch(t *testing.T) {
	c := testcluster.Get(t)
	_, err := run(t, c.Kubeconfig, &suspend.Options{Kind: "fluxreport", Selection: one("flux"), Namespace: "default"})
	if err == nil || !strings.Contains(err.Error(), "FluxReport cannot be suspended: it has no suspend switch") {
		t.Fatalf("err = %v", err)
	}
}
