package mcp_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

func TestStdioGetAcrossContexts(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "mcp-fleet")
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	kc := filepath.Join(t.TempDir(), "kubeconfig")
	if err := fixtures.FleetKubeconfig(c.Kubeconfig, kc); err != nil {
		t.Fatal(err)
	}
	cl := stdioClient(t, c, "serve", "--kubeconfig", kc)
	res := call(t, cl, "get_flux_resources", map[string]any{"kind": "ks", "namespace": ns, "contexts": []string{"*"}})
	got := structured[struct {
		Items    []struct{ Context, Name string }
		Contexts []struct {
			Name  string
			Items int
			Error string
		}
	}](t, res)
	if len(got.Items) != 6 || len(got.Contexts) != 3 || got.Contexts[0].Name != "down" || got.Contexts[0].Error == "" || got.Contexts[2].Items != 3 {
		t.Fatalf("result = %+v", got)
	}
	if txt := text(res); !strings.Contains(txt, "\nCONTEXT ") || !strings.Contains(txt, "\ncontext down: cannot reach the Kubernetes API server") {
		t.Errorf("text:\n%s", txt)
	}
}

// TestStdioReadToolsAcrossTwoServers: read tools given contexts answer per context over two API
// servers, and keep answering for the one left when the other is stopped during the session.
func TestStdioReadToolsAcrossTwoServers(t *testing.T) {
	one := testcluster.Get(t)
	two, kc := testcluster.TwoServers(t, "mcp-fleet2")
	type answers struct {
		Contexts []struct {
			Context string
			Result  *struct {
				Kinds []struct {
					Kind  string
					Total int
				}
			}
			Error string
		}
	}
	cl := stdioClient(t, one, "serve", "--kubeconfig", kc)
	args := map[string]any{"all_namespaces": true, "contexts": []string{"*"}}
	got := structured[answers](t, call(t, cl, "get_flux_stats", args))
	if len(got.Contexts) != 2 || got.Contexts[0].Context != "one" || got.Contexts[1].Context != "two" ||
		got.Contexts[0].Result == nil || got.Contexts[1].Result == nil || len(got.Contexts[1].Result.Kinds) == 0 {
		t.Fatalf("get_flux_stats over two servers = %+v", got)
	}

	two.Stop()

	start := time.Now()
	res := call(t, cl, "get_flux_stats", args)
	if took := time.Since(start); took > 12*time.Second {
		t.Errorf("took %s with the default 10s per-context timeout", took)
	}
	got = structured[answers](t, res)
	if len(got.Contexts) != 2 || got.Contexts[0].Result == nil || got.Contexts[0].Error != "" ||
		got.Contexts[1].Result != nil || !strings.HasPrefix(got.Contexts[1].Error, "cannot reach the Kubernetes API server at https://127.0.0.1:") {
		t.Errorf("get_flux_stats with two stopped = %+v", got)
	}
	if txt := text(res); !strings.HasPrefix(txt, "== context one\n") || !strings.Contains(txt, "\ncontext two: cannot reach") {
		t.Errorf("text:\n%s", txt)
	}

	res = call(t, cl, "diagnose_flux_resource", map[string]any{"all": true, "all_namespaces": true, "contexts": []string{"two", "one"}})
	if res.IsError || !strings.HasPrefix(text(res), "== context one\n") || !strings.Contains(text(res), "\ncontext two: ") {
		t.Errorf("diagnose over two contexts, one stopped:\n%s", text(res))
	}
	res = call(t, cl, "get_flux_tree", map[string]any{"kind": "ks", "name": "x", "context": "one", "contexts": []string{"two"}})
	if !res.IsError || text(res) != "give either context or contexts, not both" {
		t.Errorf("context with contexts: %s", text(res))
	}
}
