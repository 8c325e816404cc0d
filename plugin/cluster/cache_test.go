package cluster_test

import (
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/client-go/rest"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/get"
)

func TestMain(m *testing.M) { testcluster.Main(m) }

// countingTransport counts the discovery requests (the group lists and group versions) that pass.
type countingTransport struct {
	next      http.RoundTripper
	discovery *atomic.Int64
}

func (c countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	p := strings.Trim(r.URL.Path, "/")
	parts := strings.Split(p, "/")
	if p == "api" || p == "apis" || p == "api/v1" || (parts[0] == "apis" && len(parts) == 3) {
		c.discovery.Add(1)
	}
	return c.next.RoundTrip(r)
}

// One Clients per context for the life of the cache: the same value for the same context, from
// any number of goroutines, and discovery read once, not once per call.
func TestCacheKeepsOneClientsPerContext(t *testing.T) {
	c := testcluster.Get(t)
	kc := filepath.Join(t.TempDir(), "kubeconfig")
	if err := fixtures.FleetKubeconfig(c.Kubeconfig, kc); err != nil {
		t.Fatal(err)
	}
	var discovery atomic.Int64
	flags := genericclioptions.NewConfigFlags(false)
	cacheDir := t.TempDir()
	flags.KubeConfig, flags.CacheDir = &kc, &cacheDir
	flags.WrapConfigFn = func(cfg *rest.Config) *rest.Config {
		cfg.Wrap(func(rt http.RoundTripper) http.RoundTripper {
			return countingTransport{next: rt, discovery: &discovery}
		})
		return cfg
	}
	cache := cluster.NewCache(flags)

	first, err := cache.For("")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	got := make([]*cluster.Clients, 8)
	for i := range got {
		wg.Go(func() { got[i], _ = cache.For("") })
	}
	wg.Wait()
	for i, cl := range got {
		if cl != first {
			t.Errorf("For(\"\") call %d built new clients", i)
		}
	}
	mirror, err := cache.For("mirror")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := cache.For("mirror")
	if mirror == first || again != mirror || mirror.Context != "mirror" {
		t.Errorf("context mirror: %p (again %p), current context: %p; want one Clients of its own", mirror, again, first)
	}

	ns := c.Namespace(t, "cache")
	if _, err := testcluster.Run[*get.Result](t, cache, &get.Options{Kind: "ks", Namespace: ns}); err != nil {
		t.Fatal(err)
	}
	after := discovery.Load()
	if after == 0 {
		t.Fatal("no discovery request was counted: the counting transport is not in place")
	}
	for _, kind := range []string{"hr", "gitrepo", "ks"} {
		if _, err := testcluster.Run[*get.Result](t, cache, &get.Options{Kind: kind, Namespace: ns}); err != nil {
			t.Fatal(err)
		}
		k, _ := fluxkinds.Lookup(kind)
		if _, err := first.ResolveKind(k); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := testcluster.Run[*get.Result](t, cache, &get.Options{Kind: "all", Namespace: ns}); err != nil {
		t.Fatal(err)
	}
	if n := discovery.Load(); n != after {
		t.Errorf("discovery requests: %d after the first get, %d after five more; want none repeated", after, n)
	}
}
