package mcp_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/mcptest"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

// TestInvalidNamespaceRejectedBeforeAnyRequest: every tool argument that names a namespace rejects
// a name that cannot be a namespace with one clear line, on a live cluster (where a list would
// otherwise answer an empty list and a get "not found") and on a server that does not answer
// (where any request would fail with "cannot reach"): the check comes before any request.
func TestInvalidNamespaceRejectedBeforeAnyRequest(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "badns")
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	bad := []string{"Bad_NS!", "../kube-system", "a/b", "flux system", strings.Repeat("n", 64), "ns\x00"}
	manifest := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: badns-cm}\ndata: {a: b}\n"
	cases := []struct {
		tool string
		args map[string]any
		// arg is the argument that carries the bad name.
		arg string
	}{
		{"get_flux_resources", map[string]any{"kind": "ks"}, "namespace"},
		{"get_kubernetes_resources", map[string]any{"kind": "configmaps"}, "namespace"},
		{"get_flux_tree", map[string]any{"kind": "ks", "name": "apps"}, "namespace"},
		{"trace_flux_resource", map[string]any{"kind": "ConfigMap", "api_version": "v1", "name": "x"}, "namespace"},
		{"get_flux_events", map[string]any{}, "namespace"},
		{"get_flux_logs", map[string]any{}, "namespace"},
		{"get_flux_logs", map[string]any{}, "flux_namespace"},
		{"get_flux_stats", map[string]any{}, "namespace"},
		{"get_flux_dependency_graph", map[string]any{}, "namespace"},
		{"export_flux_resources", map[string]any{"kind": "ks", "all": true}, "namespace"},
		{"diagnose_flux_resource", map[string]any{"kind": "ks", "name": "apps"}, "namespace"},
		{"diagnose_flux_resource", map[string]any{"kind": "ks", "name": "apps"}, "flux_namespace"},
		{"check_flux", map[string]any{}, "flux_namespace"},
		{"apply_kubernetes_manifest", map[string]any{"manifest": manifest}, "namespace"},
		{"patch_kubernetes_resource", map[string]any{"kind": "ks", "name": "apps", "patch": `{"metadata":{"labels":{"x":"y"}}}`}, "namespace"},
		{"delete_kubernetes_resource", map[string]any{"kind": "ks", "name": "apps"}, "namespace"},
		{"reconcile_flux_resource", map[string]any{"kind": "ks", "name": "apps"}, "namespace"},
		{"suspend_flux_resource", map[string]any{"kind": "ks", "name": "apps"}, "namespace"},
		{"resume_flux_resource", map[string]any{"kind": "ks", "name": "apps"}, "namespace"},
	}

	live := stdioClient(t, c, "serve")
	// Every offered tool with a namespace argument has a case, so that a new tool is covered.
	listed, err := live.ListTools(context.Background(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, tc := range cases {
		covered[tc.tool+"."+tc.arg] = true
	}
	for _, tool := range listed.Tools {
		for prop := range tool.InputSchema.Properties {
			if strings.HasSuffix(prop, "namespace") && !covered[tool.Name+"."+prop] {
				t.Errorf("%s takes %s but has no invalid-namespace case", tool.Name, prop)
			}
		}
	}

	before := snapshot(t, c, ns)
	dead := deadServerClient(t)
	for _, server := range []struct {
		name string
		cl   *client.Client
	}{{"live cluster", live}, {"unreachable server", dead}} {
		for i, tc := range cases {
			args := map[string]any{}
			for k, v := range tc.args {
				args[k] = v
			}
			name := bad[i%len(bad)]
			args[tc.arg] = name
			res := call(t, server.cl, tc.tool, args)
			txt := text(res)
			want := fmt.Sprintf("invalid namespace %q", name)
			if !res.IsError || !strings.Contains(txt, want) || strings.Count(strings.TrimSpace(txt), "\n") > 0 {
				t.Errorf("%s: %s %s=%q: isError=%v %q, want one line with %s", server.name, tc.tool, tc.arg, name, res.IsError, txt, want)
			}
		}
	}
	// The control: with a valid namespace the unreachable server is reached for, and fails so.
	if res := call(t, dead, "get_flux_resources", map[string]any{"kind": "ks", "namespace": ns}); !res.IsError || !strings.Contains(text(res), "cannot reach") {
		t.Errorf("valid namespace on the unreachable server: isError=%v %q, want a 'cannot reach' error", res.IsError, text(res))
	}
	if after := snapshot(t, c, ns); after != before {
		t.Errorf("the cluster changed:\nbefore %s\nafter  %s", before, after)
	}
}

// deadServerClient serves MCP over a kubeconfig whose API server does not answer (nothing listens
// on port 1).
func deadServerClient(t *testing.T) *client.Client {
	t.Helper()
	kc := filepath.Join(t.TempDir(), "kubeconfig")
	cfg := `apiVersion: v1
kind: Config
clusters: [{name: dead, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: dead, context: {cluster: dead, user: u}}]
current-context: dead
`
	if err := os.WriteFile(kc, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	cl, _ := mcptest.Serve(t, testcluster.PluginBinary(t), kc, "serve")
	return cl
}
