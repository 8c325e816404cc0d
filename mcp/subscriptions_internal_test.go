package mcp

import (
	"context"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	mcpgo "github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

// One watch per (context, kind) however many sessions subscribe, gone with the last of them.
func TestSubscriptionsShareAndStopWatches(t *testing.T) {
	c := testcluster.Get(t)
	s, subs := subscriptionServer(t, c)
	watches := func() int {
		subs.mu.Lock()
		defer subs.mu.Unlock()
		return len(subs.watches)
	}
	connect := func() *client.Client {
		cl, err := client.NewInProcessClient(s)
		if err != nil {
			t.Fatal(err)
		}
		startLegacy(t, cl)
		return cl
	}
	subscribe := func(cl *client.Client, uri string, on bool) {
		var err error
		if on {
			r := mcpgo.SubscribeRequest{}
			r.Params.URI = uri
			err = cl.Subscribe(context.Background(), r) //nolint:staticcheck // the pre-2026 protocol this server serves
		} else {
			r := mcpgo.UnsubscribeRequest{}
			r.Params.URI = uri
			err = cl.Unsubscribe(context.Background(), r) //nolint:staticcheck // as above
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	a, b := connect(), connect()
	subscribe(a, "flux://envtest/x/Kustomization/one", true)
	subscribe(b, "flux://envtest/y/ks/two", true)
	if n := watches(); n != 1 {
		t.Fatalf("two subscriptions to one kind: %d watches, want 1", n)
	}
	subscribe(a, "flux://envtest/x/Kustomization/one", false)
	if n := watches(); n != 1 {
		t.Fatalf("one subscriber left: %d watches, want 1", n)
	}
	_ = b.Close()
	deadline := time.Now().Add(5 * time.Second)
	for watches() != 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := watches(); n != 0 {
		t.Fatalf("after the last session ended: %d watches, want 0", n)
	}
	_ = a.Close()
}

// subscriptionServer is a bare MCP server with resource subscriptions over the test cluster.
func subscriptionServer(t *testing.T, c *testcluster.Cluster) (*server.MCPServer, *subscriptions) {
	t.Helper()
	hooks := &server.Hooks{}
	s := server.NewMCPServer("t", "0", server.WithHooks(hooks), server.WithResourceCapabilities(true, true))
	return s, newSubscriptions(s, testcluster.Cache(c.Kubeconfig), hooks)
}

// startLegacy starts cl and initializes it with the pre-2026 protocol, where resources/subscribe lives.
func startLegacy(t *testing.T, cl *client.Client) {
	t.Helper()
	if err := cl.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	init := mcpgo.InitializeRequest{}
	init.Params.ProtocolVersion = mcpgo.LATEST_LEGACY_PROTOCOL_VERSION
	if _, err := cl.Initialize(context.Background(), init); err != nil {
		t.Fatal(err)
	}
}
