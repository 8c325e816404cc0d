package stats_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/stats"
)

func TestMain(m *testing.M) { testcluster.Main(m) }

func run(t *testing.T, cache *cluster.Cache, o *stats.Options) *stats.Result {
	t.Helper()
	res, err := testcluster.Run[*stats.Result](t, cache, o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func byKind(r *stats.Result) map[string]stats.KindStats {
	m := map[string]stats.KindStats{}
	for _, k := range r.Kinds {
		m[k.Kind] = k
	}
	return m
}

func TestStatsCountsTheSample(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "stats")
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	res := run(t, testcluster.Cache(c.Kubeconfig), &stats.Options{Namespace: ns})
	got := byKind(res)
	want := map[string][4]int{ // total, ready, failing, suspended
		"Kustomization": {3, 2, 1, 1}, "HelmRelease": {2, 1, 1, 0}, "GitRepository": {1, 1, 0, 0},
		"OCIRepository": {1, 0, 1, 0}, "HelmRepository": {1, 1, 0, 0}, "Alert": {1, 0, 0, 0},
		"Provider": {1, 0, 0, 0}, "Bucket": {0, 0, 0, 0}, "ImagePolicy": {0, 0, 0, 0},
	}
	for kind, w := range want {
		k, ok := got[kind]
		if !ok {
			t.Errorf("%s missing", kind)
			continue
		}
		if [4]int{k.Total, k.Ready, k.Failing, k.Suspended} != w {
			t.Errorf("%s = %+v, want total/ready/failing/suspended %v", kind, k, w)
		}
	}
	if s := got["GitRepository"].StorageBytes; s == nil || *s != 2048 {
		t.Errorf("GitRepository storage = %v, want 2048", s)
	}
	if got["Kustomization"].StorageBytes != nil || got["OCIRepository"].StorageBytes == nil {
		t.Errorf("storage is for sources only: %+v %+v", got["Kustomization"], got["OCIRepository"])
	}
	if len(res.Kinds) != 17 || res.Kinds[0].Kind != "Kustomization" {
		t.Errorf("want every installed kind in table order, got %d rows", len(res.Kinds))
	}
	text := res.Text()
	lines := strings.Split(text, "\n")
	if strings.Join(strings.Fields(lines[0]), " ") != "KIND TOTAL READY FAILING SUSPENDED STORAGE" {
		t.Errorf("header = %q", lines[0])
	}
	if !strings.Contains(text, "2.0 KiB") {
		t.Errorf("GitRepository storage not shown:\n%s", text)
	}
}

func TestStatsAcrossNamespaces(t *testing.T) {
	c := testcluster.Get(t)
	cache := testcluster.Cache(c.Kubeconfig)
	before := byKind(run(t, cache, &stats.Options{AllNamespaces: true}))
	for range 2 {
		if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(c.Namespace(t, "stats"))); err != nil {
			t.Fatal(err)
		}
	}
	res := run(t, cache, &stats.Options{AllNamespaces: true})
	after := byKind(res)
	if res.Namespace != "" || after["Kustomization"].Total-before["Kustomization"].Total != 6 ||
		*after["GitRepository"].StorageBytes-*before["GitRepository"].StorageBytes != 4096 {
		t.Errorf("before %+v\nafter %+v", before["Kustomization"], after["Kustomization"])
	}
}
