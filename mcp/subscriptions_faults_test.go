package mcp_test

import (
	"context"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	mcpgo "github.com/mark3labs/mcp-go/mcp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

// proxied writes a kubeconfig that reaches the test cluster through a proxy the test can stop
// (and start again on the same address).
func proxied(t *testing.T, c *testcluster.Cluster) (*proxy, string) {
	t.Helper()
	cfg, err := clientcmd.LoadFromFile(c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Clusters) != 1 {
		t.Fatalf("want one cluster in the test kubeconfig, got %d", len(cfg.Clusters))
	}
	var p *proxy
	for _, entry := range cfg.Clusters {
		u, err := url.Parse(entry.Server)
		if err != nil {
			t.Fatal(err)
		}
		p = &proxy{addr: "127.0.0.1:0", target: u.Host}
		p.start(t)
		t.Cleanup(p.stop)
		entry.Server = "https://" + p.addr
	}
	kc := filepath.Join(t.TempDir(), "kubeconfig")
	if err := clientcmd.WriteToFile(*cfg, kc); err != nil {
		t.Fatal(err)
	}
	return p, kc
}

// drain discards the notifications that arrive until none has for a while.
func drain(ch <-chan mcpgo.JSONRPCNotification) {
	for {
		select {
		case <-ch:
		case <-time.After(300 * time.Millisecond):
			return
		}
	}
}

// TestSubscriptionSurvivesAPIServerOutage: a watch that breaks (the API server goes away) or
// cannot start (subscribed while it is away) restarts once the server is back; the subscriber is
// told of the change made during the outage, and of later changes as they happen.
func TestSubscriptionSurvivesAPIServerOutage(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "subsdown")
	ctx := context.Background()
	if err := fixtures.CreateAll(ctx, c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	p, kc := proxied(t, c)
	cl, err := client.NewStdioMCPClient(testcluster.PluginBinary(t), []string{"KUBECONFIG=" + kc, "HOME=" + t.TempDir()}, "serve")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.Close() })
	ksURI := "flux://envtest/" + ns + "/Kustomization/apps"
	got := subscribed(t, cl, ksURI)

	p.stop()
	// Subscribed while the server is away: the HelmRelease watch cannot start now.
	hrURI := "flux://envtest/" + ns + "/HelmRelease/redis"
	sub := mcpgo.SubscribeRequest{}
	sub.Params.URI = hrURI
	start := time.Now()
	//nolint:staticcheck // resources/subscribe is the protocol up to 2025-11-25, which this server serves
	if err := cl.Subscribe(ctx, sub); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("subscribe waited %v for a watch that cannot start", d)
	}
	// A change while the server is away from the plugin (the test reaches it directly).
	writeReady(t, c, "kustomizations", ksGVR, ns, "apps", "DuringOutage")
	time.Sleep(time.Second)
	p.start(t)
	back := time.Now()
	if !await(t, got, mcpgo.MethodNotificationResourceUpdated, ksURI, 10*time.Second) {
		t.Fatalf("no notifications/resources/updated for %s after the API server came back", ksURI)
	}
	t.Logf("told of the change made during the outage %v after the server came back", time.Since(back))
	drain(got)

	// Both watches run again: later changes are told within a second.
	hrGVR := schema.GroupVersionResource{Group: "helm.toolkit.fluxcd.io", Version: "v2", Resource: "helmreleases"}
	for _, cc := range []struct {
		plural, name, uri string
		gvr               schema.GroupVersionResource
	}{{"kustomizations", "apps", ksURI, ksGVR}, {"helmreleases", "redis", hrURI, hrGVR}} {
		writeReady(t, c, cc.plural, cc.gvr, ns, cc.name, "AfterOutage")
		start := time.Now()
		if !await(t, got, mcpgo.MethodNotificationResourceUpdated, cc.uri, 5*time.Second) {
			t.Errorf("no notifications/resources/updated for %s after a status write once the API server was back", cc.uri)
		}
		t.Logf("%s: told after %v", cc.uri, time.Since(start))
	}
}

// writeReady writes a Ready condition with the reason through the status subresource, as a controller.
func writeReady(t *testing.T, c *testcluster.Cluster, plural string, gvr schema.GroupVersionResource, ns, name, reason string) {
	t.Helper()
	ctx := context.Background()
	obj, err := c.Dynamic.Resource(gvr).Namespace(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fixtures.WriteStatus(ctx, c.Dynamic, plural, obj, fixtures.Ready("False", reason, "test write", nil)(obj.GetGeneration())); err != nil {
		t.Fatal(err)
	}
}
