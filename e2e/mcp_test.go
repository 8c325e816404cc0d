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

// TestMCPWithRealControllers is the core flow as an assistant drives it: `kubectl flux-mcp serve`
// over stdio, reconcile_flux_resource with the source, then trace_flux_resource, and a broken
// commit reported as a tool error with the controller's message.
func TestMCPWithRealControllers(t *testing.T) {
	s := env(t)
	t.Parallel()
	f, _ := newFleet(t, s, "e2e-mcp")
	cl, _ := mcptest.Serve(t, testcluster.PluginBinary(t), s.cluster.Kubeconfig, "serve")

	rev2 := "main@sha1:" + f.repo.commit(t, "green", manifests("green"))
	res := callTool(t, cl, "reconcile_flux_resource", map[string]any{"kind": "Kustomization", "name": f.name, "namespace": f.ns, "with_source": true, "timeout": "2m"})
	if res.IsError {
		t.Fatalf("reconcile_flux_resource: %s", toolText(res))
	}
	var got reconcileResult
	raw, _ := json.Marshal(res.StructuredContent)
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != 1 || got.Items[0].Outcome != "Succeeded" || got.Items[0].Ready != "True" || got.Items[0].Revision != rev2 {
		t.Fatalf("items = %+v, want Succeeded Ready=True at %s", got.Items, rev2)
	}
	if txt := toolText(res); !strings.Contains(txt, rev2) {
		t.Errorf("text lacks the revision %s:\n%s", rev2, txt)
	}
	if c := f.color(t, "limits"); c != "green" {
		t.Errorf("limits color = %q after reconcile_flux_resource, want green", c)
	}

	tr := callTool(t, cl, "trace_flux_resource", map[string]any{"kind": "ConfigMap", "name": "limits", "namespace": f.ns})
	if txt := toolText(tr); tr.IsError || !strings.Contains(txt, "Kustomization") || !strings.Contains(txt, "GitRepository") || !strings.Contains(txt, rev2) {
		t.Errorf("trace_flux_resource does not name the Kustomization and the GitRepository at %s:\n%s", rev2, txt)
	}

	broken := manifests("green")
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
}

func callTool(t *testing.T, cl *client.Client, name string, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	// Real controllers fetch and apply: a reconcile with its source can take minutes.
	return mcptest.Call(t, cl, name, args, 3*time.Minute)
}

func toolText(res *mcp.CallToolResult) string { return mcptest.Text(res) }
