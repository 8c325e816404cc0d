package mcp_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

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
