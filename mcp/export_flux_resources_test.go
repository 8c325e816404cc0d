package mcp_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

func TestStdioExportFluxResources(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "mcp")
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	cl := stdioClient(t, c, "serve")
	res := call(t, cl, "export_flux_resources", map[string]any{"kind": "ks", "all": true, "namespace": ns})
	if res.IsError {
		t.Fatal(text(res))
	}
	txt := text(res)
	if strings.Count(txt, "---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n") != 3 || strings.Contains(txt, "status:") || strings.Contains(txt, "uid:") {
		t.Errorf("text:\n%s", txt)
	}
	raw, _ := json.Marshal(res.StructuredContent)
	var got struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != 3 {
		t.Fatalf("items = %d", len(got.Items))
	}
	md, _ := got.Items[0]["metadata"].(map[string]any)
	if _, hasStatus := got.Items[0]["status"]; hasStatus || md["name"] != "apps" || md["resourceVersion"] != nil || md["managedFields"] != nil {
		t.Errorf("first item = %v", got.Items[0])
	}
	res = call(t, cl, "export_flux_resources", map[string]any{"kind": "ks", "namespace": ns})
	if !res.IsError || !strings.Contains(text(res), "name the objects to export, or export them all") {
		t.Errorf("isError=%v text=%q", res.IsError, text(res))
	}
}
