//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/mcptest"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

// TestMCPWithRealControllers is TestCLIWithRealControllers as an assistant drives it: `kubectl
// flux-mcp serve` over stdio, reconcile_flux_resource with the source, get_flux_tree,
// trace_flux_resource, get_flux_events, suspend_flux_resource and resume_flux_resource around a
// new commit, and a broken commit reported as a tool error with the controller's message.
func TestMCPWithRealControllers(t *testing.T) {
	s := env(t)
	t.Parallel()
	f, _ := newFleet(t, s, "e2e-mcp")
	cl, _ := mcptest.Serve(t, testcluster.PluginBinary(t), s.cluster.Kubeconfig, "serve")

	// A new commit, applied by reconcile_flux_resource with the source.
	rev2 := "main@sha1:" + f.repo.commit(t, "green", manifests("green"))
	res := callTool(t, cl, "reconcile_flux_resource", map[string]any{"kind": "Kustomization", "name": f.name, "namespace": f.ns, "with_source": true, "timeout": "2m"})
	if res.IsError {
		t.Fatalf("reconcile_flux_resource: %s", toolText(res))
	}
	got := structured[reconcileResult](t, res)
	if len(got.Items) != 1 || got.Items[0].Outcome != "Succeeded" || got.Items[0].Ready != "True" || got.Items[0].Revision != rev2 {
		t.Fatalf("items = %+v, want Succeeded Ready=True at %s", got.Items, rev2)
	}
	if txt := toolText(res); !strings.Contains(txt, rev2) {
		t.Errorf("text lacks the revision %s:\n%s", rev2, txt)
	}
	if c := f.color(t, "limits"); c != "green" {
		t.Errorf("limits color = %q after reconcile_flux_resource, want green", c)
	}

	// get_flux_tree: the Kustomization's real inventory.
	res = callTool(t, cl, "get_flux_tree", map[string]any{"kind": "Kustomization", "name": f.name, "namespace": f.ns})
	if res.IsError {
		t.Fatalf("get_flux_tree: %s", toolText(res))
	}
	f.checkInventory(t, structured[treeResult](t, res))
	if txt := toolText(res); !strings.Contains(txt, "ConfigMap") || !strings.Contains(txt, "Deployment") {
		t.Errorf("get_flux_tree text lacks the applied objects:\n%s", txt)
	}

	tr := callTool(t, cl, "trace_flux_resource", map[string]any{"kind": "ConfigMap", "name": "limits", "namespace": f.ns})
	if txt := toolText(tr); tr.IsError || !strings.Contains(txt, "Kustomization") || !strings.Contains(txt, "GitRepository") || !strings.Contains(txt, rev2) {
		t.Errorf("trace_flux_resource does not name the Kustomization and the GitRepository at %s:\n%s", rev2, txt)
	}

	// get_flux_events: what the two controllers reported.
	res = callTool(t, cl, "get_flux_events", map[string]any{"kind": "Kustomization", "name": f.name, "namespace": f.ns})
	if res.IsError {
		t.Fatalf("get_flux_events: %s", toolText(res))
	}
	f.checkEvents(t, structured[eventsResult](t, res))

	// suspend_flux_resource: a new commit is fetched by the source but not applied.
	if res = callTool(t, cl, "suspend_flux_resource", map[string]any{"kind": "Kustomization", "name": f.name, "namespace": f.ns}); res.IsError {
		t.Fatalf("suspend_flux_resource: %s", toolText(res))
	}
	rev3 := "main@sha1:" + f.repo.commit(t, "red", manifests("red"))
	res = callTool(t, cl, "reconcile_flux_resource", map[string]any{"kind": "GitRepository", "name": f.name, "namespace": f.ns, "timeout": "2m"})
	if res.IsError {
		t.Fatalf("reconcile_flux_resource GitRepository: %s", toolText(res))
	}
	if got := structured[reconcileResult](t, res); len(got.Items) != 1 || got.Items[0].Ready != "True" || got.Items[0].Revision != rev3 {
		t.Errorf("GitRepository items = %+v, want Ready=True at %s", got.Items, rev3)
	}
	f.checkHeld(t, rev3, rev2, "green")

	// resume_flux_resource: the held commit is applied and reported.
	res = callTool(t, cl, "resume_flux_resource", map[string]any{"kind": "Kustomization", "name": f.name, "namespace": f.ns, "timeout": "2m"})
	if res.IsError {
		t.Fatalf("resume_flux_resource: %s", toolText(res))
	}
	if got := structured[reconcileResult](t, res); len(got.Items) != 1 || got.Items[0].Ready != "True" || got.Items[0].Revision != rev3 {
		t.Fatalf("resume_flux_resource items = %+v, want Ready=True at %s", got.Items, rev3)
	}
	if txt := toolText(res); !strings.Contains(txt, rev3) {
		t.Errorf("resume_flux_resource text lacks the revision %s:\n%s", rev3, txt)
	}
	if c := f.color(t, "settings"); c != "red" {
		t.Errorf("settings color = %q after resume_flux_resource, want red", c)
	}

	// A broken commit: a tool error carrying the controller's message; the cluster keeps red.
	broken := manifests("red")
	broken["deploy/service.yaml"] = "kind: Service\n  metadata: {name: web\n"
	f.repo.commit(t, "broken", broken)
	res = callTool(t, cl, "reconcile_flux_resource", map[string]any{"kind": "ks", "name": f.name, "namespace": f.ns, "with_source": true, "timeout": "2m"})
	ks, err := s.cluster.Dynamic.Resource(ksGVR).Namespace(f.ns).Get(context.Background(), f.name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, msg := readyOf(ks)
	if !res.IsError || msg == "" || !strings.Contains(toolText(res), msg) {
		t.Errorf("broken commit: isError=%v text:\n%s\nwant an error with the controller's message %q", res.IsError, toolText(res), msg)
	}
	if c := f.color(t, "settings"); c != "red" {
		t.Errorf("settings color = %q after the broken commit, want red (unchanged)", c)
	}
}

func callTool(t *testing.T, cl *client.Client, name string, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	// Real controllers fetch and apply: a reconcile with its source can take minutes.
	return mcptest.Call(t, cl, name, args, 3*time.Minute)
}

func toolText(res *mcp.CallToolResult) string { return mcptest.Text(res) }

// structured decodes a tool result's structured content into T, as the CLI's -o json is decoded.
func structured[T any](t *testing.T, res *mcp.CallToolResult) T {
	t.Helper()
	var v T
	raw, err := json.Marshal(res.StructuredContent)
	if err == nil {
		err = json.Unmarshal(raw, &v)
	}
	if err != nil {
		t.Fatalf("structured content is not the expected result (%v): %s", err, raw)
	}
	return v
}
