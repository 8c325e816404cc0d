package mcp_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

func TestStdioGetFluxStats(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "mcp")
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	res := call(t, stdioClient(t, c, "serve"), "get_flux_stats", map[string]any{"namespace": ns})
	if res.IsError {
		t.Fatal(text(res))
	}
	raw, _ := json.Marshal(res.StructuredContent)
	var got struct {
		Kinds []struct {
			Kind                             string
			Total, Ready, Failing, Suspended int
			StorageBytes                     *int64
		}
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	ks, git := got.Kinds[0], got.Kinds[2]
	if ks.Kind != "Kustomization" || ks.Total != 3 || ks.Failing != 1 || ks.Suspended != 1 || git.Kind != "GitRepository" || *git.StorageBytes != 2048 {
		t.Errorf("kinds = %+v", got.Kinds[:3])
	}
	if txt := text(res); !strings.HasPrefix(txt, "KIND") || !strings.Contains(txt, "2.0 KiB") {
		t.Errorf("text:\n%s", txt)
	}
}
