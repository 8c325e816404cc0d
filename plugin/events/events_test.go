package events_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/events"
)

func TestMain(m *testing.M) { testcluster.Main(m) }

func run(t *testing.T, cache *cluster.Cache, o *events.Options) (*events.Result, error) {
	t.Helper()
	return testcluster.Run[*events.Result](t, cache, o)
}

// ev is an event to record, as a Flux controller's recorder writes it.
type ev struct {
	kind, apiVersion, object, typ, reason, message string
	ago, firstAgo                                  time.Duration
	count                                          int32
}

var (
	ks   = "kustomize.toolkit.fluxcd.io/v1"
	src  = "source.toolkit.fluxcd.io/v1"
	hr   = "helm.toolkit.fluxcd.io/v2"
	apps = "apps/v1"
)

func record(t *testing.T, c *testcluster.Cluster, ns string, now time.Time, evs ...ev) {
	t.Helper()
	for i, e := range evs {
		first := e.firstAgo
		if first == 0 {
			first = e.ago
		}
		count := e.count
		if count == 0 {
			count = 1
		}
		obj := &corev1.Event{
			ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("%s.%d%d", e.object, now.UnixNano(), i), Namespace: ns},
			InvolvedObject: corev1.ObjectReference{Kind: e.kind, APIVersion: e.apiVersion, Name: e.object, Namespace: ns,
				UID: types.UID("uid-" + e.object)},
			Type: e.typ, Reason: e.reason, Message: e.message, Count: count,
			FirstTimestamp: metav1.NewTime(now.Add(-first)), LastTimestamp: metav1.NewTime(now.Add(-e.ago)),
			Source: corev1.EventSource{Component: "flux-controller"},
		}
		if _, err := c.Kube.CoreV1().Events(ns).Create(context.Background(), obj, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}

// sample is the get sample (Kustomization apps from GitRepository flux-system, HelmRelease podinfo
// from HelmRepository podinfo) with events on it and around it.
func sample(t *testing.T) (*testcluster.Cluster, string) {
	t.Helper()
	c := testcluster.Get(t)
	ns := c.Namespace(t, "events")
	ctx := context.Background()
	if err := fixtures.CreateAll(ctx, c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	// Whole seconds, so that a test can rebuild this instant from the second-precision timestamps.
	now := time.Now().Truncate(time.Second)
	record(t, c, ns, now,
		ev{"Kustomization", ks, "apps", "Normal", "ReconciliationSucceeded", "Reconciliation finished in 1s", 2 * time.Hour, 0, 0},
		ev{"GitRepository", src, "flux-system", "Normal", "NewArtifact", "stored artifact for commit 'Add apps'", 90 * time.Minute, 0, 0},
		ev{"Kustomization", ks, "apps", "Warning", "BuildFailed", "kustomize build failed: accumulating resources", 10 * time.Minute, 40 * time.Minute, 3},
		ev{"GitRepository", src, "flux-system", "Warning", "GitOperationFailed", "failed to checkout and determine revision", 5 * time.Minute, 0, 0},
		ev{"Kustomization", ks, "infrastructure", "Normal", "ReconciliationSucceeded", "Reconciliation finished in 2s", 20 * time.Minute, 0, 0},
		ev{"Deployment", apps, "web", "Normal", "ScalingReplicaSet", "Scaled up replica set web-5d4f to 1", time.Minute, 0, 0},
		ev{"HelmChart", src, ns + "-podinfo", "Warning", "ChartPullError", "chart pull error: 404 not found", 3 * time.Minute, 0, 0},
		ev{"HelmRelease", hr, "podinfo", "Normal", "UpgradeSucceeded", "Helm upgrade succeeded", 4 * time.Minute, 0, 0},
	)
	// An events.k8s.io-style event: event time and a series, no legacy timestamps.
	series := &corev1.Event{
		ObjectMeta:     metav1.ObjectMeta{Name: "apps.series", Namespace: ns},
		InvolvedObject: corev1.ObjectReference{Kind: "Kustomization", APIVersion: ks, Name: "apps", Namespace: ns},
		Type:           "Normal", Reason: "Progressing", Message: "Deployment/web configured",
		EventTime:           metav1.NewMicroTime(now.Add(-7 * time.Minute)),
		Series:              &corev1.EventSeries{Count: 4, LastObservedTime: metav1.NewMicroTime(now.Add(-30 * time.Second))},
		ReportingController: "kustomize-controller", ReportingInstance: "kustomize-controller-0", Action: "Reconcile",
	}
	if _, err := c.Kube.CoreV1().Events(ns).Create(ctx, series, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	return c, ns
}

func reasons(res *events.Result) string {
	var out []string
	for _, e := range res.Events {
		out = append(out, e.Object+":"+e.Reason)
	}
	return strings.Join(out, " ")
}

func TestEventsOfAnObjectIncludeItsSource(t *testing.T) {
	c, ns := sample(t)
	res, err := run(t, testcluster.Cache(c.Kubeconfig), &events.Options{Kind: "ks", Name: "apps", Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	want := "Kustomization/apps:ReconciliationSucceeded GitRepository/flux-system:NewArtifact Kustomization/apps:BuildFailed " +
		"GitRepository/flux-system:GitOperationFailed Kustomization/apps:Progressing"
	if got := reasons(res); got != want {
		t.Fatalf("events (oldest first) = %s\nwant %s", got, want)
	}
	if strings.Join(res.Objects, ",") != "Kustomization/"+ns+"/apps,GitRepository/"+ns+"/flux-system" || res.Total != 5 || res.Truncated {
		t.Errorf("objects=%v total=%d truncated=%v", res.Objects, res.Total, res.Truncated)
	}
	build, series := res.Events[2], res.Events[4]
	// The instant the sample was recorded at, so that ages do not depend on how long the test took.
	recorded, err := time.Parse(time.RFC3339, series.LastSeen)
	if err != nil {
		t.Fatal(err)
	}
	now := recorded.Add(30 * time.Second)
	if build.Count != 3 || build.Age(now) != "10m (x3 over 40m)" || build.Source != "flux-controller" {
		t.Errorf("repeated event = %+v, age %q", build, build.Age(now))
	}
	if series.Count != 4 || series.Age(now) != "30s (x4 over 7m)" || series.Source != "kustomize-controller" {
		t.Errorf("series event = %+v, age %q", series, series.Age(now))
	}
	text := res.Text(now)
	lines := strings.Split(strings.TrimSpace(text), "\n")
	if strings.Join(strings.Fields(lines[0]), " ") != "LAST SEEN TYPE REASON OBJECT MESSAGE" || len(lines) != 6 ||
		!strings.Contains(lines[3], "Kustomization/apps") || !strings.Contains(lines[3], "10m (x3 over 40m)") {
		t.Errorf("text:\n%s", text)
	}

	// A HelmRelease brings its HelmRepository and the HelmChart built for it.
	res, err = run(t, testcluster.Cache(c.Kubeconfig), &events.Options{Kind: "hr", Name: "podinfo", Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	if got := reasons(res); got != "HelmRelease/podinfo:UpgradeSucceeded HelmChart/"+ns+"-podinfo:ChartPullError" {
		t.Errorf("helmrelease events = %s", got)
	}
}

func TestEventsOfANamespaceAreFluxOnlyAndFiltered(t *testing.T) {
	c, ns := sample(t)
	cache := testcluster.Cache(c.Kubeconfig)
	res, err := run(t, cache, &events.Options{Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	if got := reasons(res); strings.Contains(got, "Deployment/web") || res.Total != 8 {
		t.Errorf("namespace events should be the 8 Flux ones: %s", got)
	}
	cases := []struct {
		o    events.Options
		want string
	}{
		{events.Options{Types: []string{"warning"}}, "Kustomization/apps:BuildFailed GitRepository/flux-system:GitOperationFailed HelmChart/" + ns + "-podinfo:ChartPullError"},
		{events.Options{Kind: "ks", Name: "apps", Since: 15 * time.Minute}, "Kustomization/apps:BuildFailed GitRepository/flux-system:GitOperationFailed Kustomization/apps:Progressing"},
		{events.Options{Grep: "checkout|build"}, "Kustomization/apps:BuildFailed GitRepository/flux-system:GitOperationFailed"},
		{events.Options{Grep: "/infra", Types: []string{"Normal", "Warning"}}, "Kustomization/infrastructure:ReconciliationSucceeded"},
		{events.Options{Kind: "Kustomization"}, "Kustomization/apps:ReconciliationSucceeded Kustomization/infrastructure:ReconciliationSucceeded Kustomization/apps:BuildFailed Kustomization/apps:Progressing"},
		{events.Options{Kind: "Kustomization", Limit: 2}, "Kustomization/apps:BuildFailed Kustomization/apps:Progressing"},
	}
	for _, tc := range cases {
		o := tc.o
		o.Namespace = ns
		res, err := run(t, cache, &o)
		if err != nil {
			t.Fatalf("%+v: %v", tc.o, err)
		}
		if got := reasons(res); got != tc.want {
			t.Errorf("%+v:\n got %s\nwant %s", tc.o, got, tc.want)
		}
	}
	res, err = run(t, cache, &events.Options{Kind: "Kustomization", Limit: 2, Namespace: ns})
	if err != nil || !res.Truncated || res.Total != 4 || !strings.Contains(res.Text(time.Now()), "(showing the 2 most recent of 4 matching events; raise limit to see more)") {
		t.Errorf("limit: %+v %v", res, err)
	}
	res, err = run(t, cache, &events.Options{Namespace: ns, Grep: "nothing-matches-this"})
	if err != nil || len(res.Events) != 0 || res.Text(time.Now()) != "No events found in "+ns+" namespace.\n" {
		t.Errorf("empty: %+v %v", res, err)
	}
}

func TestEventsAcrossNamespaces(t *testing.T) {
	c, ns1 := sample(t)
	_, ns2 := sample(t)
	res, err := run(t, testcluster.Cache(c.Kubeconfig), &events.Options{AllNamespaces: true, Types: []string{"Warning"}, Grep: "BuildFailed"})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range res.Events {
		seen[e.Namespace] = true
	}
	if !seen[ns1] || !seen[ns2] || !res.ShowNamespace() || !strings.HasPrefix(res.Text(time.Now()), "NAMESPACE") {
		t.Errorf("all namespaces: %v\n%s", seen, res.Text(time.Now()))
	}
}

func TestEventsRejectBadInput(t *testing.T) {
	c, ns := sample(t)
	cache := testcluster.Cache(c.Kubeconfig)
	cases := map[string]*events.Options{
		`invalid event type "Error": use Normal or Warning`: {Types: []string{"Error"}},
		`invalid grep pattern "(["`:                         {Grep: "(["},
		"a name needs a kind":                               {Name: "apps"},
		"cannot be named across all namespaces":             {Kind: "ks", Name: "apps", AllNamespaces: true},
		`unknown Flux kind "deployment"`:                    {Kind: "deployment", Name: "web"},
		`Kustomization "ghost" not found in namespace "` + ns + `"; Kustomization objects there: apps, infrastructure, monitoring`: {Kind: "ks", Name: "ghost", Namespace: ns},
		"invalid since -1s": {Since: -time.Second},
	}
	for want, o := range cases {
		if _, err := run(t, cache, o); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%+v: err = %v, want %q", o, err, want)
		}
	}
}

func TestEventsWatchReceivesNewEvents(t *testing.T) {
	c, ns := sample(t)
	o := &events.Options{Kind: "ks", Name: "apps", Namespace: ns, Types: []string{"Warning"}}
	res, err := run(t, testcluster.Cache(c.Kubeconfig), o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	got := make(chan events.Event, 10)
	done := make(chan error, 1)
	go func() {
		done <- o.Watch(ctx, res, func(e events.Event) error { got <- e; return nil })
	}()
	// No wait for the watch to start: it continues from the listing's resource version, so events
	// created before it connects still arrive.
	now := time.Now()
	record(t, c, ns, now,
		ev{"Kustomization", ks, "infrastructure", "Warning", "BuildFailed", "not this object", 0, 0, 0},
		ev{"Kustomization", ks, "apps", "Normal", "ReconciliationSucceeded", "not this type", 0, 0, 0},
		ev{"GitRepository", src, "flux-system", "Warning", "GitOperationFailed", "the source, new", 0, 0, 0},
		ev{"Kustomization", ks, "apps", "Warning", "HealthCheckFailed", "the object, new", 0, 0, 0},
	)
	var received []string
	for len(received) < 2 {
		select {
		case e := <-got:
			received = append(received, e.Object+":"+e.Reason)
		case <-ctx.Done():
			t.Fatalf("watch received only %v", received)
		}
	}
	if strings.Join(received, " ") != "GitRepository/flux-system:GitOperationFailed Kustomization/apps:HealthCheckFailed" &&
		strings.Join(received, " ") != "Kustomization/apps:HealthCheckFailed GitRepository/flux-system:GitOperationFailed" {
		t.Errorf("received %v", received)
	}
	select {
	case e := <-got:
		t.Errorf("unexpected event %+v", e)
	case <-time.After(500 * time.Millisecond):
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("watch ended with %v, want nil on cancel", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("watch did not stop when its context ended")
	}
}
