package mcp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	mcpgo "github.com/mark3labs/mcp-go/mcp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/mcp"
)

var ksGVR = schema.GroupVersionResource{Group: "kustomize.toolkit.fluxcd.io", Version: "v1", Resource: "kustomizations"}

// legacyInit initializes with the last protocol revision that has resources/subscribe and
// server-initiated requests.
func legacyInit(t *testing.T, cl *client.Client) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	init := mcpgo.InitializeRequest{}
	init.Params.ProtocolVersion = mcpgo.LATEST_LEGACY_PROTOCOL_VERSION
	init.Params.ClientInfo = mcpgo.Implementation{Name: "kfm-test", Version: "0"}
	if _, err := cl.Initialize(ctx, init); err != nil {
		t.Fatalf("initialize: %v", err)
	}
}

// inProcess is a client of a server built in the test process over the test cluster.
func inProcess(t *testing.T, c *testcluster.Cluster, o mcp.Options, opts ...client.ClientOption) *client.Client {
	t.Helper()
	cl, err := client.NewInProcessClientWithOptions(mcp.NewServer(testcluster.Cache(c.Kubeconfig), o), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.Close() })
	if err := cl.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	legacyInit(t, cl)
	return cl
}

func readResource(t *testing.T, cl *client.Client, uri string) (string, error) {
	t.Helper()
	req := mcpgo.ReadResourceRequest{}
	req.Params.URI = uri
	res, err := cl.ReadResource(context.Background(), req)
	if err != nil {
		return "", err
	}
	if len(res.Contents) != 1 {
		t.Fatalf("%s: %d contents", uri, len(res.Contents))
	}
	tc, ok := res.Contents[0].(mcpgo.TextResourceContents)
	if !ok || tc.MIMEType != "application/json" {
		t.Fatalf("%s: contents %#v", uri, res.Contents[0])
	}
	return tc.Text, nil
}

func TestResourcesListReadSummaryAndMask(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "res")
	ctx := context.Background()
	if err := fixtures.CreateAll(ctx, c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	// More than a page of objects.
	for i := range 101 {
		if _, err := fixtures.Create(ctx, c.Dynamic, fixtures.Object{Plural: "providers", Manifest: fmt.Sprintf(
			"{apiVersion: notification.toolkit.fluxcd.io/v1beta3, kind: Provider, metadata: {name: p%03d, namespace: %s}, spec: {type: generic}}", i, ns)}); err != nil {
			t.Fatal(err)
		}
	}
	cl := inProcess(t, c, mcp.Options{MaskSecrets: true})

	tpl, err := cl.ListResourceTemplates(ctx, mcpgo.ListResourceTemplatesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var tpls []string
	for _, x := range tpl.ResourceTemplates {
		tpls = append(tpls, x.URITemplate.Raw())
	}
	if strings.Join(tpls, " ") != "flux://{context}/{namespace}/{kind}/{name} flux://{context}/summary" &&
		strings.Join(tpls, " ") != "flux://{context}/summary flux://{context}/{namespace}/{kind}/{name}" {
		t.Errorf("templates = %v", tpls)
	}

	prefix := "flux://envtest/" + ns + "/"
	seen := map[string]int{}
	pages := 0
	req := mcpgo.ListResourcesRequest{}
	for {
		res, err := cl.ListResourcesByPage(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(res.Resources) > 100 {
			t.Fatalf("page of %d resources", len(res.Resources))
		}
		for _, r := range res.Resources {
			seen[r.URI]++
		}
		if res.NextCursor == "" {
			break
		}
		req.Params.Cursor = res.NextCursor
	}
	ours := 0
	for uri, n := range seen {
		if n != 1 {
			t.Errorf("%s listed %d times", uri, n)
		}
		if strings.HasPrefix(uri, prefix) {
			ours++
		}
	}
	if ours != 111 || pages < 2 || seen["flux://envtest/summary"] != 1 || seen[prefix+"Kustomization/apps"] != 1 {
		t.Fatalf("listed %d of our 111 objects in %d pages; summary %d", ours, pages, seen["flux://envtest/summary"])
	}

	// Any of the kind's names reads the object; the body is the get operation's item.
	for _, kind := range []string{"Kustomization", "ks"} {
		body, err := readResource(t, cl, prefix+kind+"/apps")
		if err != nil {
			t.Fatal(err)
		}
		var it struct{ Kind, Name, Ready, Reason, Namespace string }
		if err := json.Unmarshal([]byte(body), &it); err != nil {
			t.Fatal(err)
		}
		if it.Kind != "Kustomization" || it.Name != "apps" || it.Namespace != ns || it.Ready != "False" || it.Reason != "BuildFailed" {
			t.Errorf("%s: %s", kind, body)
		}
	}
	if _, err := readResource(t, cl, prefix+"Kustomization/ghost"); err == nil || !strings.Contains(err.Error(), `Kustomization "ghost" not found`) {
		t.Errorf("missing object: err = %v", err)
	}
	if _, err := readResource(t, cl, prefix+"widget/apps"); err == nil || !strings.Contains(err.Error(), "unknown Flux kind") {
		t.Errorf("unknown kind: err = %v", err)
	}

	// A controller message with credentials in a URL leaves masked.
	obj, err := c.Dynamic.Resource(ksGVR).Namespace(ns).Get(ctx, "infrastructure", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fixtures.WriteStatus(ctx, c.Dynamic, "kustomizations", obj,
		fixtures.Ready("False", "ArtifactFailed", "clone https://admin:hunter2secret@git.example.internal/fleet failed", nil)(obj.GetGeneration())); err != nil {
		t.Fatal(err)
	}
	body, err := readResource(t, cl, prefix+"Kustomization/infrastructure")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(body, "hunter2secret") || !strings.Contains(body, "ArtifactFailed") {
		t.Errorf("not masked: %s", body)
	}

	body, err = readResource(t, cl, "flux://envtest/summary")
	if err != nil {
		t.Fatal(err)
	}
	var sum mcp.Summary
	if err := json.Unmarshal([]byte(body), &sum); err != nil {
		t.Fatal(err)
	}
	failing := map[string]bool{}
	for _, f := range sum.Failing {
		failing[f.URI] = true
	}
	if sum.Context != "envtest" || sum.Kinds["Provider"].Total < 102 || sum.Kinds["Kustomization"].Suspended < 1 ||
		!failing[prefix+"Kustomization/apps"] || !failing[prefix+"HelmRelease/redis"] || failing[prefix+"HelmRelease/podinfo"] {
		t.Errorf("summary: %s", body)
	}
}

func TestResourceCompletions(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "compl")
	ctx := context.Background()
	if err := fixtures.CreateAll(ctx, c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	cl := inProcess(t, c, mcp.Options{MaskSecrets: true})
	complete := func(arg, value string, known map[string]string) []string {
		t.Helper()
		req := mcpgo.CompleteRequest{}
		req.Params.Ref = mcpgo.ResourceReference{Type: "ref/resource", URI: "flux://{context}/{namespace}/{kind}/{name}"}
		req.Params.Argument.Name, req.Params.Argument.Value = arg, value
		req.Params.Context.Arguments = known
		res, err := cl.Complete(ctx, req)
		if err != nil {
			t.Fatalf("complete %s: %v", arg, err)
		}
		return res.Completion.Values
	}
	if got := complete("context", "env", nil); strings.Join(got, ",") != "envtest" {
		t.Errorf("contexts = %v", got)
	}
	if got := complete("kind", "helm", nil); strings.Join(got, ",") != "HelmChart,HelmRelease,HelmRepository" {
		t.Errorf("kinds = %v", got)
	}
	if got := complete("namespace", ns, map[string]string{"context": "envtest"}); strings.Join(got, ",") != ns {
		t.Errorf("namespaces = %v", got)
	}
	got := complete("name", "", map[string]string{"context": "envtest", "namespace": ns, "kind": "Kustomization"})
	if strings.Join(got, ",") != "apps,infrastructure,monitoring" {
		t.Errorf("names = %v", got)
	}
}

// elicitor answers every confirmation with one action and records the questions.
type elicitor struct {
	action mcpgo.ElicitationResponseAction
	mu     sync.Mutex
	asked  []string
}

func (e *elicitor) Elicit(_ context.Context, req mcpgo.ElicitationRequest) (*mcpgo.ElicitationResult, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.asked = append(e.asked, req.Params.Message)
	res := &mcpgo.ElicitationResult{}
	res.Action = e.action
	if e.action == mcpgo.ElicitationResponseActionAccept {
		res.Content = map[string]any{"confirm": true}
	}
	return res, nil
}

func TestConfirmDestructiveCalls(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "confirm")
	ctx := context.Background()
	if err := fixtures.CreateAll(ctx, c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	del := map[string]any{"kind": "kustomization", "name": "apps", "namespace": ns}
	exists := func() bool {
		_, err := c.Dynamic.Resource(ksGVR).Namespace(ns).Get(ctx, "apps", metav1.GetOptions{})
		return err == nil
	}

	for _, action := range []mcpgo.ElicitationResponseAction{mcpgo.ElicitationResponseActionDecline, mcpgo.ElicitationResponseActionCancel} {
		e := &elicitor{action: action}
		cl := inProcess(t, c, mcp.Options{MaskSecrets: true}, client.WithElicitationHandler(e))
		res := call(t, cl, "delete_kubernetes_resource", del)
		if !res.IsError || !strings.Contains(text(res), "nothing was changed") || !strings.Contains(text(res), string(action)) {
			t.Errorf("%s: isError=%v %q", action, res.IsError, text(res))
		}
		if len(e.asked) != 1 || !strings.Contains(e.asked[0], `Delete kustomization "apps" in namespace `+ns) {
			t.Errorf("%s: asked %q", action, e.asked)
		}
		if !exists() {
			t.Fatalf("%s: the object was deleted", action)
		}
		// A dry run and a read change nothing and ask nothing.
		dry := map[string]any{"kind": "kustomization", "name": "apps", "namespace": ns, "dry_run": true}
		if res := call(t, cl, "delete_kubernetes_resource", dry); res.IsError {
			t.Errorf("dry run: %s", text(res))
		}
		if res := call(t, cl, "get_flux_resources", map[string]any{"kind": "ks", "namespace": ns}); res.IsError || len(e.asked) != 1 {
			t.Errorf("dry run or read asked: %q", e.asked)
		}
	}

	// Bulk suspend asks, listing what it selects.
	e := &elicitor{action: mcpgo.ElicitationResponseActionDecline}
	cl := inProcess(t, c, mcp.Options{MaskSecrets: true}, client.WithElicitationHandler(e))
	if res := call(t, cl, "suspend_flux_resource", map[string]any{"kind": "ks", "all": true, "namespace": ns}); !res.IsError {
		t.Errorf("declined bulk suspend ran: %s", text(res))
	}
	if len(e.asked) != 1 || !strings.Contains(e.asked[0], "Suspend every ks in namespace "+ns) {
		t.Errorf("bulk suspend asked %q", e.asked)
	}

	// A client without elicitation: denied under --confirm-fallback=deny.
	plain := inProcess(t, c, mcp.Options{MaskSecrets: true, ConfirmFallback: mcp.FallbackDeny})
	if res := call(t, plain, "delete_kubernetes_resource", del); !res.IsError || !strings.Contains(text(res), "cannot ask") || !exists() {
		t.Errorf("fallback deny: isError=%v %q exists=%v", res.IsError, text(res), exists())
	}

	// Accepted: the delete happens.
	e = &elicitor{action: mcpgo.ElicitationResponseActionAccept}
	cl = inProcess(t, c, mcp.Options{MaskSecrets: true}, client.WithElicitationHandler(e))
	if res := call(t, cl, "delete_kubernetes_resource", del); res.IsError || len(e.asked) != 1 {
		t.Fatalf("accepted delete: isError=%v %q asked=%q", res.IsError, text(res), e.asked)
	}
	if exists() {
		t.Errorf("accepted delete left the object")
	}
}

// notifications collects the notifications a client receives.
// subscribed starts a client that is not started yet, listens to its notifications, initializes
// the session with the protocol that has resources/subscribe, and subscribes to uri.
func subscribed(t *testing.T, cl *client.Client, uri string) <-chan mcpgo.JSONRPCNotification {
	t.Helper()
	// Only Client.Start routes the transport's notifications to OnNotification handlers.
	if err := cl.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := notifications(cl)
	legacyInit(t, cl)
	sub := mcpgo.SubscribeRequest{}
	sub.Params.URI = uri
	//nolint:staticcheck // resources/subscribe is the protocol up to 2025-11-25, which this server serves
	if err := cl.Subscribe(context.Background(), sub); err != nil {
		t.Fatal(err)
	}
	return got
}

func notifications(cl *client.Client) <-chan mcpgo.JSONRPCNotification {
	ch := make(chan mcpgo.JSONRPCNotification, 100)
	cl.OnNotification(func(n mcpgo.JSONRPCNotification) {
		select {
		case ch <- n:
		default:
		}
	})
	return ch
}

// await returns the first notification with the method (and uri, if given) within limit.
func await(t *testing.T, ch <-chan mcpgo.JSONRPCNotification, method, uri string, limit time.Duration) bool {
	t.Helper()
	deadline := time.After(limit)
	for {
		select {
		case n := <-ch:
			if n.Method != method {
				continue
			}
			if got, _ := n.Params.AdditionalFields["uri"].(string); uri == "" || got == uri {
				return true
			}
		case <-deadline:
			return false
		}
	}
}

func TestStdioResourceSubscriptions(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "subs")
	ctx := context.Background()
	if err := fixtures.CreateAll(ctx, c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	cl, err := client.NewStdioMCPClient(testcluster.PluginBinary(t), []string{"KUBECONFIG=" + c.Kubeconfig, "HOME=" + t.TempDir()}, "serve")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.Close() })
	uri := "flux://envtest/" + ns + "/Kustomization/apps"
	got := subscribed(t, cl, uri)
	obj, err := c.Dynamic.Resource(ksGVR).Namespace(ns).Get(ctx, "apps", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := fixtures.WriteStatus(ctx, c.Dynamic, "kustomizations", obj,
		fixtures.Ready("True", "ReconciliationSucceeded", "Applied revision: main@sha1:fixed", nil)(obj.GetGeneration())); err != nil {
		t.Fatal(err)
	}
	if !await(t, got, mcpgo.MethodNotificationResourceUpdated, uri, time.Second) {
		t.Fatalf("no notifications/resources/updated for %s within a second", uri)
	}
	t.Logf("updated after %v", time.Since(start))
	body, err := readResource(t, cl, uri)
	if err != nil || !strings.Contains(body, `"ready": "True"`) {
		t.Errorf("read after update: %v %s", err, body)
	}

	// An object of another name changes: no notification for this subscription.
	infra, err := c.Dynamic.Resource(ksGVR).Namespace(ns).Get(ctx, "infrastructure", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fixtures.WriteStatus(ctx, c.Dynamic, "kustomizations", infra, fixtures.Ready("Unknown", "Progressing", "x", nil)(1)); err != nil {
		t.Fatal(err)
	}
	if await(t, got, mcpgo.MethodNotificationResourceUpdated, "", 500*time.Millisecond) {
		t.Errorf("notified of an object not subscribed to")
	}

	// After a list, objects that appear or disappear change the list.
	if _, err := cl.ListResourcesByPage(ctx, mcpgo.ListResourcesRequest{}); err != nil {
		t.Fatal(err)
	}
	if _, err := fixtures.Create(ctx, c.Dynamic, fixtures.Object{Plural: "providers", Manifest: fmt.Sprintf(
		"{apiVersion: notification.toolkit.fluxcd.io/v1beta3, kind: Provider, metadata: {name: fresh, namespace: %s}, spec: {type: generic}}", ns)}); err != nil {
		t.Fatal(err)
	}
	if !await(t, got, mcpgo.MethodNotificationResourcesListChanged, "", 2*time.Second) {
		t.Errorf("no notifications/resources/list_changed after a Provider appeared")
	}

	// Unsubscribed: no more updates.
	unsub := mcpgo.UnsubscribeRequest{}
	unsub.Params.URI = uri
	//nolint:staticcheck // see Subscribe above
	if err := cl.Unsubscribe(ctx, unsub); err != nil {
		t.Fatal(err)
	}
	obj, _ = c.Dynamic.Resource(ksGVR).Namespace(ns).Get(ctx, "apps", metav1.GetOptions{})
	if _, err := fixtures.WriteStatus(ctx, c.Dynamic, "kustomizations", obj, fixtures.Ready("False", "Again", "x", nil)(obj.GetGeneration())); err != nil {
		t.Fatal(err)
	}
	if await(t, got, mcpgo.MethodNotificationResourceUpdated, uri, 500*time.Millisecond) {
		t.Errorf("notified after unsubscribe")
	}
}

func TestStreamableHTTPResourceSubscription(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "subshttp")
	ctx := context.Background()
	if err := fixtures.CreateAll(ctx, c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	cl := listeningHTTPClient(t, c)
	uri := "flux://envtest/" + ns + "/HelmRelease/redis"
	got := subscribed(t, cl, uri)
	gvr := schema.GroupVersionResource{Group: "helm.toolkit.fluxcd.io", Version: "v2", Resource: "helmreleases"}
	obj, err := c.Dynamic.Resource(gvr).Namespace(ns).Get(ctx, "redis", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fixtures.WriteStatus(ctx, c.Dynamic, "helmreleases", obj,
		fixtures.Ready("True", "InstallSucceeded", "Helm install succeeded", nil)(obj.GetGeneration())); err != nil {
		t.Fatal(err)
	}
	if !await(t, got, mcpgo.MethodNotificationResourceUpdated, uri, time.Second) {
		t.Fatalf("no notifications/resources/updated for %s within a second over streamable HTTP", uri)
	}
}

// listeningHTTPClient starts a streamable HTTP server (secrets masked) and a client of it that
// keeps the standalone GET stream open, where notifications outside a request arrive.
func listeningHTTPClient(t *testing.T, c *testcluster.Cluster) *client.Client {
	t.Helper()
	url := httpServer(t, c, mcp.TransportHTTP, mcp.Options{MaskSecrets: true}) + "/mcp"
	//nolint:staticcheck // the standalone GET stream of the pre-2026 protocol, where resources/subscribe lives
	cl, err := client.NewStreamableHttpClient(url, transport.WithContinuousListening())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.Close() })
	return cl
}
