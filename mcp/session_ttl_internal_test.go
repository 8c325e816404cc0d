package mcp

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	mcpgo "github.com/mark3labs/mcp-go/mcp"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

// A streamable HTTP session whose client went away without DELETE ends after the idle TTL, and
// its watches stop; a session with its notification stream open is pinged and lives on.
func TestIdleHTTPSessionEndsWithItsWatches(t *testing.T) {
	c := testcluster.Get(t)
	s, subs := subscriptionServer(t, c)
	const ttl = time.Second
	h := NewHTTPHandler(s, TransportHTTP, "", WithSessionIdleTTL(ttl))
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		h.CloseSessions(context.Background())
		srv.Close()
	})
	watching := func() map[string]bool {
		subs.mu.Lock()
		defer subs.mu.Unlock()
		kinds := map[string]bool{}
		for k := range subs.watches {
			kinds[k.Kind] = true
		}
		return kinds
	}
	connect := func(opts ...transport.StreamableHTTPCOption) *client.Client {
		cl, err := client.NewStreamableHttpClient(srv.URL+"/mcp", opts...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cl.Close() })
		startLegacy(t, cl)
		return cl
	}
	subscribe := func(cl *client.Client, uri string) error {
		r := mcpgo.SubscribeRequest{}
		r.Params.URI = uri
		return cl.Subscribe(context.Background(), r) //nolint:staticcheck // the pre-2026 protocol this server serves
	}
	gone := connect() // no notification stream: silent once it stops sending
	//nolint:staticcheck // the standalone GET stream of the pre-2026 protocol
	listening := connect(transport.WithContinuousListening())
	if err := subscribe(gone, "flux://envtest/x/Kustomization/one"); err != nil {
		t.Fatal(err)
	}
	if err := subscribe(listening, "flux://envtest/x/HelmRelease/two"); err != nil {
		t.Fatal(err)
	}
	if w := watching(); !w["Kustomization"] || !w["HelmRelease"] {
		t.Fatalf("after two subscriptions: watching %v", w)
	}
	deadline := time.Now().Add(10 * ttl)
	for watching()["Kustomization"] && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(2 * ttl) // the listening session has now been quiet for several TTLs
	if w := watching(); w["Kustomization"] || !w["HelmRelease"] {
		t.Fatalf("after the idle TTL: watching %v, want only the listening session's HelmRelease", w)
	}
	// The ended session is refused (404), so it cannot subscribe again in a session the server
	// no longer knows; the listening one still works.
	if err := subscribe(gone, "flux://envtest/x/Kustomization/one"); err == nil || watching()["Kustomization"] {
		t.Errorf("the expired session could still subscribe: err=%v, watching %v", err, watching())
	}
	if err := subscribe(listening, "flux://envtest/x/GitRepository/three"); err != nil || !watching()["GitRepository"] {
		t.Errorf("the listening session ended: err=%v, watching %v", err, watching())
	}
}
