package mcp_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/mcptest"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

func TestMain(m *testing.M) { testcluster.Main(m) }

// stdioClient starts `kubectl-flux_mcp ARGS` as an assistant does, with KUBECONFIG in its env.
func stdioClient(t *testing.T, c *testcluster.Cluster, args ...string) *client.Client {
	t.Helper()
	cl, res := mcptest.Serve(t, testcluster.PluginBinary(t), c.Kubeconfig, args...)
	if res.ServerInfo.Name != "kubectl-flux-mcp" || res.Instructions == "" || res.Capabilities.Logging == nil {
		t.Fatalf("initialize result = %+v", res)
	}
	return cl
}

func call(t *testing.T, cl *client.Client, name string, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	return mcptest.Call(t, cl, name, args, 30*time.Second)
}

func text(res *mcp.CallToolResult) string { return mcptest.Text(res) }

func TestStdioListsToolsWithEveryHint(t *testing.T) {
	c := testcluster.Get(t)
	for _, args := range [][]string{{"serve"}, {"mcp", "serve"}, {"serve", "--read-only"}} {
		cl := stdioClient(t, c, args...)
		res, err := cl.ListTools(context.Background(), mcp.ListToolsRequest{})
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]mcp.Tool{}
		for _, tool := range res.Tools {
			names[tool.Name] = tool
			a := tool.Annotations
			if tool.Title == "" || a.ReadOnlyHint == nil || a.DestructiveHint == nil || a.IdempotentHint == nil || a.OpenWorldHint == nil {
				t.Errorf("%v: %s lacks a title or a hint: %+v", args, tool.Name, a)
			}
			if a.Title != "" {
				t.Errorf("%v: %s has its title twice, in its annotations too", args, tool.Name)
			}
			if tool.OutputSchema.Type != "object" {
				t.Errorf("%v: %s has no output schema", args, tool.Name)
			}
		}
		get, ok := names["get_flux_resources"]
		if !ok {
			t.Fatalf("%v: get_flux_resources not listed", args)
		}
		if !*get.Annotations.ReadOnlyHint || *get.Annotations.DestructiveHint {
			t.Errorf("get_flux_resources must be read-only and not destructive: %+v", get.Annotations)
		}
		if len(get.InputSchema.Required) != 1 || get.InputSchema.Required[0] != "kind" {
			t.Errorf("get_flux_resources required = %v, want [kind]", get.InputSchema.Required)
		}
	}
}

// A client of the 2025-03-26 protocol knows only the annotation's title.
func TestStdioLegacyClientGetsAnnotationTitles(t *testing.T) {
	c := testcluster.Get(t)
	cl, init := mcptest.ServeProtocol(t, "2025-03-26", testcluster.PluginBinary(t), c.Kubeconfig, "serve")
	if init.ProtocolVersion != "2025-03-26" {
		t.Fatalf("negotiated %q, want 2025-03-26", init.ProtocolVersion)
	}
	res, err := cl.ListTools(context.Background(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range res.Tools {
		if tool.Annotations.Title == "" || tool.Title != "" {
			t.Errorf("%s: title %q, annotation title %q; want only the annotation's", tool.Name, tool.Title, tool.Annotations.Title)
		}
	}
	if len(res.Tools) == 0 {
		t.Fatal("no tools")
	}
}

func TestStdioGetFluxResources(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "mcp")
	// Objects the plugin did not create: written straight through the API, status as a controller would.
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	cl := stdioClient(t, c, "serve")
	res := call(t, cl, "get_flux_resources", map[string]any{"kind": "all", "namespace": ns, "status_selector": "ready=false"})
	if res.IsError {
		t.Fatalf("isError: %s", text(res))
	}
	raw, _ := json.Marshal(res.StructuredContent)
	var got struct {
		Items []struct{ Kind, Name, Ready, Reason, Message string } `json:"items"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != 3 || got.Items[0].Kind != "Kustomization" || got.Items[0].Name != "apps" || got.Items[0].Reason != "BuildFailed" {
		t.Fatalf("structured items = %+v", got.Items)
	}
	txt := text(res)
	if !strings.Contains(txt, "kustomization/apps") || strings.Contains(txt, "apiVersion") || len(txt) > 2000 {
		t.Errorf("text should be a compact table, not a dump:\n%s", txt)
	}
}

func TestStdioErrorsAreToolResults(t *testing.T) {
	c := testcluster.Get(t)
	cl := stdioClient(t, c, "serve")
	cases := map[string]map[string]any{
		`unknown Flux kind "widgets"; known kinds:`:                {"kind": "widgets"},
		`invalid arguments`:                                        {"kind": 42},
		`context "nowhere" not found in kubeconfig`:                {"kind": "ks", "context": "nowhere"},
		`invalid label selector`:                                   {"kind": "ks", "label_selector": "a in (b"},
		`Kustomization "ghost" not found in namespace "default"; `: {"kind": "ks", "name": "ghost", "namespace": "default"},
	}
	for want, args := range cases {
		res := call(t, cl, "get_flux_resources", args)
		if !res.IsError || !strings.Contains(text(res), want) {
			t.Errorf("%v: isError=%v text=%q, want %q", args, res.IsError, text(res), want)
		}
	}
}

func TestStdioKubeAsImpersonates(t *testing.T) {
	c := testcluster.Get(t)
	cl := stdioClient(t, c, "serve", "--kube-as", "system:serviceaccount:default:nobody")
	res := call(t, cl, "get_flux_resources", map[string]any{"kind": "ks", "namespace": "default"})
	want := `User "system:serviceaccount:default:nobody" cannot list resource "kustomizations"`
	if !res.IsError || !strings.Contains(text(res), want) {
		t.Fatalf("isError=%v text=%q, want the 403 message %q", res.IsError, text(res), want)
	}
}

// decode reads a result's structured content into T, whether or not it is an error result.
func decode[T any](t *testing.T, res *mcp.CallToolResult) T {
	t.Helper()
	var out T
	raw, _ := json.Marshal(res.StructuredContent)
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("structured content: %v\n%s", err, raw)
	}
	return out
}
