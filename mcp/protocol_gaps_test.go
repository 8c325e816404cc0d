package mcp_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	mcpgo "github.com/mark3labs/mcp-go/mcp"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

// Over streamable HTTP, a subscription to the cluster summary hears of a status write to any Flux
// object, and a session that listed resources hears when one appears.
func TestStreamableHTTPSummaryAndListChanged(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "summaryhttp")
	ctx := context.Background()
	if err := fixtures.CreateAll(ctx, c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	cl := listeningHTTPClient(t, c)
	summary := "flux://envtest/summary"
	got := subscribed(t, cl, summary)
	if _, err := cl.ListResourcesByPage(ctx, mcpgo.ListResourcesRequest{}); err != nil {
		t.Fatal(err)
	}
	drain(got)

	writeReady(t, c, "kustomizations", ksGVR, ns, "infrastructure", "SummaryChanged")
	if !await(t, got, mcpgo.MethodNotificationResourceUpdated, summary, time.Second) {
		t.Errorf("no notifications/resources/updated for %s within a second of a status write", summary)
	}
	if _, err := fixtures.Create(ctx, c.Dynamic, fixtures.Object{Plural: "providers", Manifest: fmt.Sprintf(
		"{apiVersion: notification.toolkit.fluxcd.io/v1beta3, kind: Provider, metadata: {name: fresh, namespace: %s}, spec: {type: generic}}", ns)}); err != nil {
		t.Fatal(err)
	}
	if !await(t, got, mcpgo.MethodNotificationResourcesListChanged, "", 2*time.Second) {
		t.Errorf("no notifications/resources/list_changed over streamable HTTP after a Provider appeared")
	}
}

// --confirm all asks before every change, dry runs excepted; --confirm none never asks. Through
// the binary over stdio, with a client that can elicit.
func TestConfirmModesOverStdio(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "confirmmodes")
	ctx := context.Background()
	if err := fixtures.CreateAll(ctx, c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "cm", Namespace: ns}}
	if _, err := c.Kube.CoreV1().ConfigMaps(ns).Create(ctx, cm, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	connect := func(e *elicitor, args ...string) *client.Client {
		tr := transport.NewStdio(testcluster.PluginBinary(t), []string{"KUBECONFIG=" + c.Kubeconfig, "HOME=" + t.TempDir()}, args...)
		cl := client.NewClient(tr, client.WithElicitationHandler(e))
		if err := cl.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cl.Close() })
		legacyInit(t, cl)
		return cl
	}

	e := &elicitor{action: mcpgo.ElicitationResponseActionDecline}
	all := connect(e, "serve", "--confirm", "all")
	// Reconcile is no destructive call, but under all it asks; declined, no request is written.
	res := call(t, all, "reconcile_flux_resource", map[string]any{"kind": "ks", "name": "apps", "namespace": ns, "wait": false})
	want := "Run reconcile_flux_resource on ks apps in namespace " + ns + " of context envtest."
	if !res.IsError || len(e.asked) != 1 || !strings.HasPrefix(e.asked[0], want) {
		t.Errorf("--confirm all, reconcile: isError=%v %q asked %q, want %q", res.IsError, text(res), e.asked, want)
	}
	obj, err := c.Dynamic.Resource(ksGVR).Namespace(ns).Get(ctx, "apps", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := obj.GetAnnotations()["reconcile.fluxcd.io/requestedAt"]; ok {
		t.Errorf("the declined reconcile requested one")
	}
	// A dry run changes nothing: not asked.
	if res := call(t, all, "delete_kubernetes_resource", map[string]any{"kind": "configmap", "name": "cm", "namespace": ns, "dry_run": true}); res.IsError || len(e.asked) != 1 {
		t.Errorf("--confirm all, dry run: isError=%v %q asked %q", res.IsError, text(res), e.asked)
	}

	e = &elicitor{action: mcpgo.ElicitationResponseActionDecline}
	none := connect(e, "serve", "--confirm", "none")
	if res := call(t, none, "delete_kubernetes_resource", map[string]any{"kind": "configmap", "name": "cm", "namespace": ns}); res.IsError || len(e.asked) != 0 {
		t.Errorf("--confirm none, delete: isError=%v %q asked %q", res.IsError, text(res), e.asked)
	}
	if _, err := c.Kube.CoreV1().ConfigMaps(ns).Get(ctx, "cm", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("--confirm none: the delete did not happen (%v)", err)
	}
}
