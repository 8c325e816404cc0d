package mcp_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	tc "github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcontroller"
)

// progressLog collects the notifications/progress a client receives.
type progressLog struct {
	mu       sync.Mutex
	messages []string
	counts   []float64
}

// listen registers the handler. NewStdioMCPClient starts the transport but not the client, and
// only Client.Start routes the transport's notifications to OnNotification handlers.
func (p *progressLog) listen(t *testing.T, cl *client.Client) {
	if err := cl.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	cl.OnNotification(func(n mcp.JSONRPCNotification) {
		if n.Method != string(mcp.MethodNotificationProgress) {
			return
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		msg, _ := n.Params.AdditionalFields["message"].(string)
		count, _ := n.Params.AdditionalFields["progress"].(float64)
		p.messages = append(p.messages, msg)
		p.counts = append(p.counts, count)
	})
}

func (p *progressLog) get() ([]string, []float64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.messages...), append([]float64(nil), p.counts...)
}

// callWithProgress calls a tool with a progressToken, as a client that shows progress does.
func callWithProgress(ctx context.Context, t *testing.T, cl *client.Client, name string, args map[string]any) (*mcp.CallToolResult, error) {
	t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name, req.Params.Arguments = name, args
	req.Params.Meta = &mcp.Meta{ProgressToken: "progress-" + name}
	return cl.CallTool(ctx, req)
}

type toolResult struct {
	Action  string
	Sources []struct{ Kind, Name, Outcome string }
	Items   []struct {
		Kind, Name, Outcome, Ready, Message, Revision, RequestedAt string
		Changed                                                    bool
		DurationSeconds                                            float64
	}
	Summary struct{ Total, Succeeded, Failed, Changed int }
}

func TestStdioMutatingToolsHints(t *testing.T) {
	c := testcluster.Get(t)
	cl := stdioClient(t, c, "serve")
	res, err := cl.ListTools(context.Background(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"reconcile_flux_resource": false, "suspend_flux_resource": true, "resume_flux_resource": true}
	for _, tool := range res.Tools {
		idem, ok := want[tool.Name]
		if !ok {
			continue
		}
		delete(want, tool.Name)
		a := tool.Annotations
		if *a.ReadOnlyHint || *a.DestructiveHint || *a.IdempotentHint != idem || !*a.OpenWorldHint {
			t.Errorf("%s hints = %+v, want readOnly=false destructive=false idempotent=%v openWorld=true", tool.Name, a, idem)
		}
		if len(tool.InputSchema.Required) != 1 || tool.InputSchema.Required[0] != "kind" {
			t.Errorf("%s required = %v, want [kind]", tool.Name, tool.InputSchema.Required)
		}
		for _, p := range []string{"name", "names", "namespace", "all", "label_selector", "context"} {
			if _, ok := tool.InputSchema.Properties[p]; !ok {
				t.Errorf("%s lacks argument %s", tool.Name, p)
			}
		}
	}
	if len(want) > 0 {
		t.Fatalf("not listed: %v", want)
	}
	ro := stdioClient(t, c, "serve", "--read-only")
	res, err = ro.ListTools(context.Background(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range res.Tools {
		if strings.Contains(tool.Name, "reconcile") || strings.Contains(tool.Name, "suspend") || strings.Contains(tool.Name, "resume") {
			t.Errorf("--read-only lists the mutating tool %s", tool.Name)
		}
	}
}

func TestStdioReconcileReportsProgressAndResult(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "mcprec")
	c.Create(t, tc.GitRepository(ns, "fleet"))
	c.Create(t, tc.Kustomization(ns, "apps", "fleet", false, nil))
	ctl := tc.Start(t, c.Config, ns, "Kustomization", "GitRepository")
	// With the source reconciled first, the Kustomization applies the source's new revision.
	ctl.Set("GitRepository", "fleet", tc.Behaviour{Revision: "main@sha1:d00d"})
	ctl.Set("Kustomization", "apps", tc.Behaviour{Delay: 200 * time.Millisecond})
	cl := stdioClient(t, c, "serve")
	var log progressLog
	log.listen(t, cl)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := callWithProgress(ctx, t, cl, "reconcile_flux_resource", map[string]any{"kind": "Kustomization", "name": "apps", "namespace": ns, "with_source": true, "timeout": "20s"})
	returned := time.Now()
	if err != nil {
		t.Fatal(err)
	}
	if res.IsError {
		t.Fatalf("isError: %s", text(res))
	}
	r := decode[toolResult](t, res)
	if len(r.Items) != 1 || r.Items[0].Ready != "True" || r.Items[0].Revision != "main@sha1:d00d" || !r.Items[0].Changed || r.Items[0].DurationSeconds < 0.2 ||
		len(r.Sources) != 1 || r.Sources[0].Kind != "GitRepository" {
		t.Fatalf("structured = %+v", r)
	}
	txt := text(res)
	for _, want := range []string{"Kustomization " + ns + "/apps: Succeeded, Ready=True", "revision main@sha1:d00d", ", in ", "Applied revision: main@sha1:d00d"} {
		if !strings.Contains(txt, want) {
			t.Errorf("text lacks %q:\n%s", want, txt)
		}
	}
	ev, _ := ctl.Last("Kustomization", "apps")
	t.Logf("the tool result arrived %s after the status write was sent (goal: < 100ms)", returned.Sub(ev.WrittenAt))
	msgs, counts := log.get()
	wantOrder := []string{"annotating GitRepository " + ns + "/fleet", "waiting for GitRepository " + ns + "/fleet reconciliation",
		"annotating Kustomization " + ns + "/apps", "waiting for Kustomization " + ns + "/apps reconciliation",
		"Kustomization " + ns + "/apps reconciled at revision main@sha1:d00d"}
	i := 0
	for _, m := range msgs {
		if i < len(wantOrder) && m == wantOrder[i] {
			i++
		}
	}
	if i != len(wantOrder) {
		t.Fatalf("progress messages %q lack, in order, %q", msgs, wantOrder)
	}
	for j := 1; j < len(counts); j++ {
		if counts[j] <= counts[j-1] {
			t.Fatalf("progress must increase: %v", counts)
		}
	}
}

func TestStdioReconcileFailuresAreToolErrors(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "mcprec")
	c.Create(t, tc.Kustomization(ns, "broken", "fleet", false, nil))
	c.Create(t, tc.Kustomization(ns, "stuck", "fleet", false, nil))
	ctl := tc.Start(t, c.Config, ns, "Kustomization")
	ctl.Set("Kustomization", "broken", tc.Behaviour{Fail: "kustomize build failed: missing podinfo"})
	ctl.Set("Kustomization", "stuck", tc.Behaviour{Stall: true})
	cl := stdioClient(t, c, "serve")

	res := call(t, cl, "reconcile_flux_resource", map[string]any{"kind": "ks", "name": "broken", "namespace": ns})
	if !res.IsError || !strings.Contains(text(res), "Failed, Ready=False ReconciliationFailed") || !strings.Contains(text(res), "kustomize build failed: missing podinfo") {
		t.Errorf("failure: isError=%v text=%s", res.IsError, text(res))
	}
	if r := decode[toolResult](t, res); r.Summary.Failed != 1 {
		t.Errorf("failure structured = %+v", r)
	}
	res = call(t, cl, "reconcile_flux_resource", map[string]any{"kind": "ks", "name": "stuck", "namespace": ns, "timeout": "1s"})
	if !res.IsError || !strings.Contains(text(res), "timed out after 1s waiting for Kustomization "+ns+"/stuck: last seen Ready=Unknown Progressing: 'building'") {
		t.Errorf("timeout: isError=%v text=%s", res.IsError, text(res))
	}
	cases := map[string]map[string]any{
		`invalid timeout "soon"`:                       {"kind": "ks", "name": "broken", "namespace": ns, "timeout": "soon"},
		"apply to HelmRelease only, not Kustomization": {"kind": "ks", "name": "broken", "namespace": ns, "force": true},
		"name an object, or select several":            {"kind": "ks", "namespace": ns},
	}
	for want, args := range cases {
		if res := call(t, cl, "reconcile_flux_resource", args); !res.IsError || !strings.Contains(text(res), want) {
			t.Errorf("%v: isError=%v text=%q, want %q", args, res.IsError, text(res), want)
		}
	}
}

// waitWatches counts the watches of single Kustomizations (a name field selector, which the API
// server's metrics label scope="resource") open on the API server: the waits in progress.
func waitWatches(t *testing.T, c *testcluster.Cluster) int {
	t.Helper()
	raw, err := c.Kube.CoreV1().RESTClient().Get().AbsPath("/metrics").DoRaw(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(l, "apiserver_longrunning_requests{") && strings.Contains(l, `resource="kustomizations"`) &&
			strings.Contains(l, `scope="resource"`) && strings.Contains(l, `verb="WATCH"`) {
			var v float64
			_, _ = fmt.Sscanf(l[strings.LastIndex(l, " ")+1:], "%g", &v)
			n += int(v)
		}
	}
	return n
}

func TestStdioReconcileCancelStopsTheWaitAtOnce(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "mcprec")
	c.Create(t, tc.Kustomization(ns, "stuck", "fleet", false, nil))
	c.Create(t, tc.Kustomization(ns, "quick", "fleet", false, nil))
	ctl := tc.Start(t, c.Config, ns, "Kustomization")
	ctl.Set("Kustomization", "stuck", tc.Behaviour{Stall: true})
	cl := stdioClient(t, c, "serve")
	base := waitWatches(t, c)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := callWithProgress(ctx, t, cl, "reconcile_flux_resource", map[string]any{"kind": "ks", "name": "stuck", "namespace": ns})
		done <- err
	}()
	deadline := time.Now().Add(10 * time.Second)
	for waitWatches(t, c) != base+1 {
		if time.Now().After(deadline) {
			t.Fatal("the tool never started watching the Kustomization")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel() // the client sends notifications/cancelled
	cancelled := time.Now()
	if err := <-done; err == nil {
		t.Fatal("a cancelled call returned a result")
	}
	for waitWatches(t, c) != base {
		if time.Since(cancelled) > 2*time.Second {
			t.Fatal("the server still watches 2s after the call was cancelled")
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("the server's watch ended %s after the cancellation", time.Since(cancelled))
	res := call(t, cl, "reconcile_flux_resource", map[string]any{"kind": "ks", "name": "quick", "namespace": ns})
	if res.IsError {
		t.Fatalf("after a cancelled call: %s", text(res))
	}
}

func TestStdioSuspendAndResume(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "mcpsus")
	c.Create(t, tc.ResourceSet(ns, "tenants"))
	tc.Start(t, c.Config, ns, "ResourceSet")
	cl := stdioClient(t, c, "serve")
	res := call(t, cl, "suspend_flux_resource", map[string]any{"kind": "ResourceSet", "name": "tenants", "namespace": ns})
	if res.IsError || !strings.Contains(text(res), "ResourceSet "+ns+"/tenants: Succeeded") {
		t.Fatalf("suspend: %s", text(res))
	}
	gvr := schema.GroupVersionResource{Group: "fluxcd.controlplane.io", Version: "v1", Resource: "resourcesets"}
	obj, err := c.Dynamic.Resource(gvr).Namespace(ns).Get(context.Background(), "tenants", metav1.GetOptions{})
	if err != nil || obj.GetAnnotations()["fluxcd.controlplane.io/reconcile"] != "disabled" {
		t.Fatalf("after suspend: %v %v", err, obj.GetAnnotations())
	}
	res = call(t, cl, "resume_flux_resource", map[string]any{"kind": "rset", "names": []string{"tenants"}, "namespace": ns, "timeout": "20s"})
	if res.IsError {
		t.Fatalf("resume: %s", text(res))
	}
	if r := decode[toolResult](t, res); r.Action != "resume" || r.Items[0].Ready != "True" || r.Items[0].RequestedAt == "" {
		t.Fatalf("resume structured = %+v", r)
	}
	ro := stdioClient(t, c, "serve", "--read-only")
	if res := call(t, ro, "suspend_flux_resource", map[string]any{"kind": "rset", "name": "tenants", "namespace": ns}); !res.IsError || !strings.Contains(text(res), "--read-only") {
		t.Fatalf("--read-only: %s", text(res))
	}
}
