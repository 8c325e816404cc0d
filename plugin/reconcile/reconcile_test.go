package reconcile_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	tc "github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcontroller"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/reconcile"
)

func TestMain(m *testing.M) { testcluster.Main(m) }

var (
	ksGVR = schema.GroupVersionResource{Group: "kustomize.toolkit.fluxcd.io", Version: "v1", Resource: "kustomizations"}
	hrGVR = schema.GroupVersionResource{Group: "helm.toolkit.fluxcd.io", Version: "v2", Resource: "helmreleases"}
)

func run(t *testing.T, c *testcluster.Cluster, o *reconcile.Options) (*reconcile.Result, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return operation.Execute(ctx, testcluster.Cache(c.Kubeconfig), o)
}

func get(t *testing.T, c *testcluster.Cluster, gvr schema.GroupVersionResource, ns, name string) *unstructured.Unstructured {
	t.Helper()
	obj, err := c.Dynamic.Resource(gvr).Namespace(ns).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return obj
}

// setup creates a GitRepository "fleet" and the named Kustomizations of it in a fresh namespace,
// and a controller for both kinds.
func setup(t *testing.T, ks ...string) (*testcluster.Cluster, string, *tc.Controller) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "rec")
	c.Create(t, tc.GitRepository(ns, "fleet"))
	for _, n := range ks {
		c.Create(t, tc.Kustomization(ns, n, "fleet", false, nil))
	}
	return c, ns, tc.Start(t, c.Config, ns, "Kustomization", "GitRepository")
}

func TestReconcileWaitsForTheController(t *testing.T) {
	c, ns, ctl := setup(t, "apps")
	ctl.Set("Kustomization", "apps", tc.Behaviour{Delay: 300 * time.Millisecond, Revision: "main@sha1:feedbeef"})
	res, err := run(t, c, &reconcile.Options{Kind: "ks", Selection: reconcile.Selection{Names: []string{"apps"}}, Namespace: ns})
	returned := time.Now()
	if err != nil {
		t.Fatal(err)
	}
	if res.Err() != nil || len(res.Items) != 1 {
		t.Fatalf("err=%v items=%+v", res.Err(), res.Items)
	}
	it := res.Items[0]
	if it.Outcome != reconcile.Succeeded || it.Ready != "True" || it.Revision != "main@sha1:feedbeef" || !it.Changed || it.DurationSeconds < 0.3 {
		t.Fatalf("item = %+v", it)
	}
	obj := get(t, c, ksGVR, ns, "apps")
	if obj.GetAnnotations()[reconcile.RequestedAtAnnotation] != it.RequestedAt {
		t.Fatalf("annotation %q, item.requestedAt %q", obj.GetAnnotations()[reconcile.RequestedAtAnnotation], it.RequestedAt)
	}
	ev, ok := ctl.Last("Kustomization", "apps")
	if !ok || ev.RequestedAt != it.RequestedAt {
		t.Fatalf("the controller handled %+v, want request %s", ev, it.RequestedAt)
	}
	t.Logf("the wait returned %s after the status write was sent (goal: < 100ms)", returned.Sub(ev.WrittenAt))
	if res.Summary != (reconcile.Summary{Total: 1, Succeeded: 1, Changed: 1}) {
		t.Errorf("summary = %+v", res.Summary)
	}
}

func TestReconcileFailureCarriesTheControllersMessage(t *testing.T) {
	c, ns, ctl := setup(t, "apps")
	ctl.Set("Kustomization", "apps", tc.Behaviour{Fail: "kustomize build failed: no such file podinfo"})
	res, err := run(t, c, &reconcile.Options{Kind: "Kustomization", Selection: reconcile.Selection{Names: []string{"apps"}}, Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	want := "Kustomization " + ns + "/apps reconciliation failed: ReconciliationFailed: kustomize build failed: no such file podinfo"
	if e := res.Err(); e == nil || e.Error() != want {
		t.Fatalf("Err() = %v, want %q", e, want)
	}
	if it := res.Items[0]; it.Outcome != reconcile.Failed || it.Ready != "False" || res.Summary.Failed != 1 {
		t.Fatalf("item = %+v summary %+v", it, res.Summary)
	}
}

func TestReconcileTimeoutSaysWhatWasLastSeen(t *testing.T) {
	c, ns, ctl := setup(t, "apps", "orphan")
	ctl.Set("Kustomization", "apps", tc.Behaviour{Stall: true})
	start := time.Now()
	res, err := run(t, c, &reconcile.Options{Kind: "ks", Selection: reconcile.Selection{Names: []string{"apps"}}, Namespace: ns, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	want := "timed out after 1s waiting for Kustomization " + ns + "/apps: last seen Ready=Unknown Progressing: 'building'"
	if e := res.Err(); e == nil || e.Error() != want {
		t.Fatalf("Err() = %v, want %q", e, want)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("a 1s timeout took %s", d)
	}

	// No controller answers: the message says so instead of showing the old Ready=True alone.
	c2 := testcluster.Get(t)
	ns2 := c2.Namespace(t, "rec")
	c2.Create(t, tc.Kustomization(ns2, "lonely", "fleet", false, nil))
	res, err = run(t, c2, &reconcile.Options{Kind: "ks", Selection: reconcile.Selection{Names: []string{"lonely"}}, Namespace: ns2, Timeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if e := res.Err(); e == nil || !strings.Contains(e.Error(), "last seen Ready=True ReconciliationSucceeded: 'Applied revision: main@sha1:0000'; the request was not handled (is the controller running?)") {
		t.Fatalf("Err() = %v", e)
	}
}

func TestReconcileRefusesSuspended(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "rec")
	c.Create(t, tc.Kustomization(ns, "paused", "fleet", true, nil))
	_, err := run(t, c, &reconcile.Options{Kind: "ks", Selection: reconcile.Selection{Names: []string{"paused"}}, Namespace: ns})
	var se *reconcile.SuspendedError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "Kustomization "+ns+"/paused is suspended") {
		t.Fatalf("err = %v", err)
	}
	if v, ok := get(t, c, ksGVR, ns, "paused").GetAnnotations()[reconcile.RequestedAtAnnotation]; ok {
		t.Fatalf("a suspended object was annotated: %q", v)
	}
}

func TestReconcileNoWaitOnlyAnnotates(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "rec")
	c.Create(t, tc.Kustomization(ns, "apps", "fleet", false, nil))
	start := time.Now()
	res, err := run(t, c, &reconcile.Options{Kind: "ks", Selection: reconcile.Selection{Names: []string{"apps"}}, Namespace: ns, NoWait: true})
	if err != nil || res.Err() != nil {
		t.Fatal(err, res.Err())
	}
	it := res.Items[0]
	if it.Outcome != reconcile.Requested || !it.Changed || time.Since(start) > 2*time.Second {
		t.Fatalf("item = %+v after %s", it, time.Since(start))
	}
	if got := get(t, c, ksGVR, ns, "apps").GetAnnotations()[reconcile.RequestedAtAnnotation]; got != it.RequestedAt {
		t.Fatalf("annotation = %q, want %q", got, it.RequestedAt)
	}
}

func TestReconcileWithSourceHandlesTheSourceFirst(t *testing.T) {
	c, ns, ctl := setup(t, "apps", "infra")
	ctl.Set("GitRepository", "fleet", tc.Behaviour{Delay: 300 * time.Millisecond, Revision: "main@sha1:5ca1ab1e"})
	res, err := run(t, c, &reconcile.Options{Kind: "ks", Selection: reconcile.Selection{Names: []string{"apps", "infra"}}, Namespace: ns, WithSource: true})
	if err != nil || res.Err() != nil {
		t.Fatal(err, res.Err())
	}
	if len(res.Sources) != 1 || res.Sources[0].Kind != "GitRepository" || res.Sources[0].Revision != "main@sha1:5ca1ab1e" || res.Sources[0].Outcome != reconcile.Succeeded {
		t.Fatalf("sources = %+v (the shared source must be reconciled once)", res.Sources)
	}
	var order []string
	for _, e := range ctl.Events() {
		order = append(order, e.Kind+"/"+e.Name)
	}
	if len(order) != 3 || order[0] != "GitRepository/fleet" {
		t.Fatalf("handled in order %v, want the GitRepository first, once", order)
	}
	for _, it := range res.Items {
		if it.Source != "GitRepository/"+ns+"/fleet" {
			t.Errorf("%s source = %q", it.Name, it.Source)
		}
	}
}

func TestReconcileWithSourceStopsWhenTheSourceFails(t *testing.T) {
	c, ns, ctl := setup(t, "apps")
	ctl.Set("GitRepository", "fleet", tc.Behaviour{Fail: "authentication required"})
	res, err := run(t, c, &reconcile.Options{Kind: "ks", Selection: reconcile.Selection{Names: []string{"apps"}}, Namespace: ns, WithSource: true})
	if err != nil {
		t.Fatal(err)
	}
	if e := res.Err(); e == nil || !strings.Contains(e.Error(), "its source failed: GitRepository "+ns+"/fleet reconciliation failed: ReconciliationFailed: authentication required") {
		t.Fatalf("Err() = %v", e)
	}
	if res.Items[0].Changed {
		t.Fatal("the Kustomization was annotated although its source failed")
	}
	if _, ok := get(t, c, ksGVR, ns, "apps").GetAnnotations()[reconcile.RequestedAtAnnotation]; ok {
		t.Fatal("the Kustomization was annotated although its source failed")
	}
}

func TestHelmReleaseCascadesToTheGeneratedHelmChart(t *testing.T) {
	c := testcluster.Get(t)
	ns, srcNS := c.Namespace(t, "hr"), c.Namespace(t, "charts")
	c.Create(t, tc.HelmRepository(srcNS, "podinfo"))
	c.Create(t, tc.HelmChart(srcNS, ns+"-web", "podinfo", "podinfo"))
	c.Create(t, tc.HelmRelease(ns, "web", "podinfo", "podinfo", srcNS))
	hrs := tc.Start(t, c.Config, ns, "HelmRelease")
	srcs := tc.Start(t, c.Config, srcNS, "HelmChart", "HelmRepository")
	srcs.Set("HelmChart", ns+"-web", tc.Behaviour{Delay: 200 * time.Millisecond, Revision: "6.7.1"})
	hrs.Set("HelmRelease", "web", tc.Behaviour{Revision: "6.7.1"})
	res, err := run(t, c, &reconcile.Options{Kind: "hr", Selection: reconcile.Selection{Names: []string{"web"}}, Namespace: ns, WithSource: true})
	if err != nil || res.Err() != nil {
		t.Fatal(err, res.Err())
	}
	var got []string
	for _, s := range res.Sources {
		got = append(got, s.Kind+"/"+s.Namespace+"/"+s.Name+"="+s.Outcome)
	}
	want := "HelmRepository/" + srcNS + "/podinfo=Succeeded,HelmChart/" + srcNS + "/" + ns + "-web=Succeeded"
	if strings.Join(got, ",") != want {
		t.Fatalf("sources = %v, want %s", got, want)
	}
	chart, _ := srcs.Last("HelmChart", ns+"-web")
	repo, _ := srcs.Last("HelmRepository", "podinfo")
	rel, _ := hrs.Last("HelmRelease", "web")
	if !repo.WrittenAt.Before(chart.WrittenAt) || !chart.WrittenAt.Before(rel.WrittenAt) {
		t.Fatalf("order of handling: repository %v, chart %v, release %v", repo.WrittenAt, chart.WrittenAt, rel.WrittenAt)
	}
	if it := res.Items[0]; it.Revision != "6.7.1" || it.Source != "HelmChart/"+srcNS+"/"+ns+"-web" {
		t.Fatalf("item = %+v", it)
	}
}

// With spec.chartRef the cascade follows the reference: a HelmChart brings its own source first
// (HelmRepository, HelmChart, HelmRelease); an OCIRepository is the chart's source itself, with no
// generated HelmChart in between.
func TestHelmReleaseChartRefCascades(t *testing.T) {
	c := testcluster.Get(t)
	ns, srcNS := c.Namespace(t, "hr"), c.Namespace(t, "charts")
	c.Create(t, tc.HelmRepository(srcNS, "podinfo"))
	c.Create(t, tc.HelmChart(srcNS, "shared", "podinfo", "podinfo"))
	c.Create(t, tc.OCIRepository(ns, "podinfo-oci"))
	c.Create(t, tc.HelmReleaseChartRef(ns, "via-chart", "HelmChart", "shared", srcNS))
	c.Create(t, tc.HelmReleaseChartRef(ns, "via-oci", "OCIRepository", "podinfo-oci", ""))
	local := tc.Start(t, c.Config, ns, "HelmRelease", "OCIRepository")
	srcs := tc.Start(t, c.Config, srcNS, "HelmChart", "HelmRepository")
	srcs.Set("HelmChart", "shared", tc.Behaviour{Delay: 200 * time.Millisecond, Revision: "6.7.1"})
	local.Set("OCIRepository", "podinfo-oci", tc.Behaviour{Delay: 200 * time.Millisecond, Revision: "6.7.2@sha256:0c1"})
	local.Set("HelmRelease", "via-chart", tc.Behaviour{Revision: "6.7.1"})
	local.Set("HelmRelease", "via-oci", tc.Behaviour{Revision: "6.7.2"})

	for _, tt := range []struct {
		name, sources, source, revision string
		before                          func() tc.Event
	}{
		{"via-chart", "HelmRepository/" + srcNS + "/podinfo=Succeeded,HelmChart/" + srcNS + "/shared=Succeeded", "HelmChart/" + srcNS + "/shared", "6.7.1",
			func() tc.Event { e, _ := srcs.Last("HelmChart", "shared"); return e }},
		{"via-oci", "OCIRepository/" + ns + "/podinfo-oci=Succeeded", "OCIRepository/" + ns + "/podinfo-oci", "6.7.2",
			func() tc.Event { e, _ := local.Last("OCIRepository", "podinfo-oci"); return e }},
	} {
		res, err := run(t, c, &reconcile.Options{Kind: "hr", Selection: reconcile.Selection{Names: []string{tt.name}}, Namespace: ns, WithSource: true})
		if err != nil || res.Err() != nil {
			t.Fatal(tt.name, err, res.Err())
		}
		var got []string
		for _, s := range res.Sources {
			got = append(got, s.Kind+"/"+s.Namespace+"/"+s.Name+"="+s.Outcome)
		}
		if strings.Join(got, ",") != tt.sources {
			t.Fatalf("%s: sources = %v, want %s", tt.name, got, tt.sources)
		}
		rel, _ := local.Last("HelmRelease", tt.name)
		if src := tt.before(); src.WrittenAt.IsZero() || !src.WrittenAt.Before(rel.WrittenAt) {
			t.Fatalf("%s: the source was handled at %v, the release at %v", tt.name, src.WrittenAt, rel.WrittenAt)
		}
		if it := res.Items[0]; it.Outcome != reconcile.Succeeded || it.Source != tt.source || it.Revision != tt.revision {
			t.Fatalf("%s: item = %+v", tt.name, it)
		}
	}
	repo, _ := srcs.Last("HelmRepository", "podinfo")
	chart, _ := srcs.Last("HelmChart", "shared")
	if !repo.WrittenAt.Before(chart.WrittenAt) {
		t.Fatalf("the HelmChart (%v) was handled before its HelmRepository (%v)", chart.WrittenAt, repo.WrittenAt)
	}
}

func TestHelmReleaseForceAndReset(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "hr")
	c.Create(t, tc.HelmRelease(ns, "web", "podinfo", "podinfo", ""))
	c.Create(t, tc.HelmRelease(ns, "plain", "podinfo", "podinfo", ""))
	ctl := tc.Start(t, c.Config, ns, "HelmRelease")
	res, err := run(t, c, &reconcile.Options{Kind: "hr", Selection: reconcile.Selection{Names: []string{"web"}}, Namespace: ns, Force: true, Reset: true})
	if err != nil || res.Err() != nil {
		t.Fatal(err, res.Err())
	}
	v := res.Items[0].RequestedAt
	a := get(t, c, hrGVR, ns, "web").GetAnnotations()
	if a[reconcile.ForceAtAnnotation] != v || a[reconcile.ResetAtAnnotation] != v {
		t.Fatalf("annotations = %v, want forceAt and resetAt = %s", a, v)
	}
	if ev, _ := ctl.Last("HelmRelease", "web"); ev.ForceAt != v || ev.ResetAt != v {
		t.Fatalf("the controller saw %+v", ev)
	}
	st, _, _ := unstructured.NestedString(get(t, c, hrGVR, ns, "web").Object, "status", "lastHandledForceAt")
	if st != v {
		t.Fatalf("status.lastHandledForceAt = %q", st)
	}
	// Never implied: a plain reconcile sets neither.
	if _, err := run(t, c, &reconcile.Options{Kind: "hr", Selection: reconcile.Selection{Names: []string{"plain"}}, Namespace: ns}); err != nil {
		t.Fatal(err)
	}
	a = get(t, c, hrGVR, ns, "plain").GetAnnotations()
	if _, ok := a[reconcile.ForceAtAnnotation]; ok {
		t.Fatalf("forceAt set without --force: %v", a)
	}
	if _, ok := a[reconcile.ResetAtAnnotation]; ok {
		t.Fatalf("resetAt set without --reset: %v", a)
	}
}

func TestReconcileBulkBySelector(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "bulk")
	team := map[string]string{"team": "a"}
	for _, n := range []string{"a1", "a2", "a3"} {
		c.Create(t, tc.Kustomization(ns, n, "fleet", false, team))
	}
	c.Create(t, tc.Kustomization(ns, "a4-paused", "fleet", true, team))
	c.Create(t, tc.Kustomization(ns, "other", "fleet", false, map[string]string{"team": "b"}))
	ctl := tc.Start(t, c.Config, ns, "Kustomization")
	ctl.Set("Kustomization", "a2", tc.Behaviour{Fail: "health check failed"})
	ctl.Set("Kustomization", "a3", tc.Behaviour{Delay: 200 * time.Millisecond})
	res, err := run(t, c, &reconcile.Options{Kind: "ks", Selection: reconcile.Selection{LabelSelector: "team=a"}, Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	want := reconcile.Summary{Total: 4, Succeeded: 2, Failed: 1, Skipped: 1, Changed: 3}
	if res.Summary != want {
		t.Fatalf("summary = %+v, want %+v\n%s", res.Summary, want, res.Text())
	}
	var outcomes []string
	for _, it := range res.Items {
		outcomes = append(outcomes, it.Name+"="+it.Outcome)
	}
	if strings.Join(outcomes, ",") != "a1=Succeeded,a2=Failed,a3=Succeeded,a4-paused=Skipped" {
		t.Fatalf("outcomes = %v", outcomes)
	}
	if e := res.Err(); e == nil || !strings.Contains(e.Error(), "reconcile failed for 1 of 4 objects; first: Kustomization "+ns+"/a2 reconciliation failed") {
		t.Fatalf("Err() = %v", e)
	}
	if _, ok := get(t, c, ksGVR, ns, "other").GetAnnotations()[reconcile.RequestedAtAnnotation]; ok {
		t.Fatal("an object outside the selector was annotated")
	}
	if txt := res.Text(); !strings.Contains(txt, "reconcile of 4 objects: 2 succeeded, 1 failed, 1 skipped; 3 changed") {
		t.Errorf("text lacks the summary:\n%s", txt)
	}
}

func TestReconcileForbiddenChangesNothing(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "rbac")
	c.Create(t, tc.Kustomization(ns, "apps", "fleet", false, nil))
	// A reader may get, list and watch, but not patch.
	readerGroup := "kfm-readers-" + ns
	tc.GrantRead(t, c.Kube, ns, readerGroup)
	kc := c.AddUser(t, "reader-"+ns, readerGroup)
	res, err := operation.Execute(context.Background(), testcluster.Cache(kc), &reconcile.Options{Kind: "ks", Selection: reconcile.Selection{Names: []string{"apps"}}, Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	want := `User "reader-` + ns + `" cannot patch resource "kustomizations"`
	if e := res.Err(); e == nil || !strings.Contains(e.Error(), want) || res.Items[0].Changed {
		t.Fatalf("Err() = %v, want %q; item %+v", e, want, res.Items[0])
	}
	if _, ok := get(t, c, ksGVR, ns, "apps").GetAnnotations()[reconcile.RequestedAtAnnotation]; ok {
		t.Fatal("annotated despite the 403")
	}
	// A user with no rights at all is stopped at the read.
	kc = c.AddUser(t, "nobody-"+ns)
	_, err = operation.Execute(context.Background(), testcluster.Cache(kc), &reconcile.Options{Kind: "ks", Selection: reconcile.Selection{Names: []string{"apps"}}, Namespace: ns})
	if !apierrors.IsForbidden(err) || !strings.Contains(err.Error(), `cannot get resource "kustomizations"`) {
		t.Fatalf("err = %v", err)
	}
}

func TestReconcileStopsAtOnceWhenCancelled(t *testing.T) {
	c, ns, ctl := setup(t, "apps")
	ctl.Set("Kustomization", "apps", tc.Behaviour{Stall: true})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(500*time.Millisecond, cancel)
	start := time.Now()
	res, err := operation.Execute(ctx, testcluster.Cache(c.Kubeconfig), &reconcile.Options{Kind: "ks", Selection: reconcile.Selection{Names: []string{"apps"}}, Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Fatalf("cancel took %s to stop the wait", d)
	}
	if e := res.Err(); e == nil || !strings.Contains(e.Error(), "stopped waiting for Kustomization "+ns+"/apps: context canceled") {
		t.Fatalf("Err() = %v", e)
	}
}

func TestReconcileRejectsBadInput(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "rec")
	c.Create(t, tc.Kustomization(ns, "apps", "fleet", false, nil))
	one := reconcile.Selection{Names: []string{"apps"}}
	cases := map[string]*reconcile.Options{
		"Alert cannot be reconciled":                   {Kind: "alert", Selection: one},
		"unknown Flux kind":                            {Kind: "deployment", Selection: one},
		"a kind is required":                           {Selection: one},
		"name an object, or select several":            {Kind: "ks"},
		"not more than one of them":                    {Kind: "ks", Selection: reconcile.Selection{Names: []string{"a"}, All: true}},
		"invalid label selector":                       {Kind: "ks", Selection: reconcile.Selection{LabelSelector: "a in (b"}},
		"apply to HelmRelease only, not Kustomization": {Kind: "ks", Selection: one, Force: true},
		`Kustomization "app" not found in namespace "` + ns + `"; Kustomization objects there: apps`: {Kind: "ks", Selection: reconcile.Selection{Names: []string{"app"}}},
	}
	for want, o := range cases {
		o.Namespace = ns
		if _, err := run(t, c, o); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%+v: err = %v, want %q", o, err, want)
		}
	}
}

// A source that does not exist fails the object with a line naming the source, and the object is
// not annotated: half the cascade is not done.
func TestReconcileWithSourceMissingSourceChangesNothing(t *testing.T) {
	c, ns, ctl := setup(t)
	c.Create(t, tc.Kustomization(ns, "apps", "ghost", false, nil))
	res, err := run(t, c, &reconcile.Options{Kind: "ks", Selection: reconcile.Selection{Names: []string{"apps"}}, Namespace: ns, WithSource: true})
	if err != nil {
		t.Fatal(err)
	}
	want := "Kustomization " + ns + "/apps was not reconciled: its source failed: source GitRepository " + ns + "/ghost not found"
	if e := res.Err(); e == nil || e.Error() != want {
		t.Fatalf("Err() = %v, want %q", e, want)
	}
	it := res.Items[0]
	if it.Outcome != reconcile.Failed || it.Changed || it.RequestedAt != "" || res.Summary.Changed != 0 {
		t.Fatalf("item = %+v summary %+v", it, res.Summary)
	}
	if len(res.Sources) != 1 || res.Sources[0].Name != "ghost" || res.Sources[0].Outcome != reconcile.Failed || res.Sources[0].Changed {
		t.Fatalf("sources = %+v", res.Sources)
	}
	if v, ok := get(t, c, ksGVR, ns, "apps").GetAnnotations()[reconcile.RequestedAtAnnotation]; ok {
		t.Fatalf("the Kustomization was annotated (%q) although its source does not exist", v)
	}
	if evs := ctl.Events(); len(evs) != 0 {
		t.Fatalf("the controller handled %+v", evs)
	}
}

// Several names, some missing: one error names each missing one, and none of the others is
// annotated.
func TestReconcileSeveralMissingNamesChangesNothing(t *testing.T) {
	c, ns, ctl := setup(t, "apps", "infra")
	_, err := run(t, c, &reconcile.Options{Kind: "ks", Selection: reconcile.Selection{Names: []string{"apps", "web", "infra", "db", "web"}}, Namespace: ns})
	var nf *reconcile.NotFoundError
	want := `Kustomization "web", "db" not found in namespace "` + ns + `"; Kustomization objects there: apps, infra`
	if !errors.As(err, &nf) || err.Error() != want {
		t.Fatalf("err = %v, want %q", err, want)
	}
	for _, n := range []string{"apps", "infra"} {
		if v, ok := get(t, c, ksGVR, ns, n).GetAnnotations()[reconcile.RequestedAtAnnotation]; ok {
			t.Fatalf("%s was annotated (%q) although the run was refused", n, v)
		}
	}
	if evs := ctl.Events(); len(evs) != 0 {
		t.Fatalf("the controller handled %+v", evs)
	}
}
