package mcp_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

func TestStdioDiagnoseAndGraph(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "mcp-diag")
	if err := fixtures.CreateDiagnose(context.Background(), c.Dynamic, ns); err != nil {
		t.Fatal(err)
	}
	cl := stdioClient(t, c, "serve", "--read-only")

	res := call(t, cl, "diagnose_flux_resource", map[string]any{"kind": "ks", "name": "apps", "namespace": ns})
	got := structured[struct {
		Diagnoses []struct {
			Object   string
			Findings []struct{ Severity, Rule, Object, Message, Evidence string }
		}
	}](t, res)
	if len(got.Diagnoses) != 1 || got.Diagnoses[0].Findings[0].Rule != "dependency-not-ready" || got.Diagnoses[0].Findings[0].Object != "Kustomization/"+ns+"/infra" {
		t.Fatalf("diagnose = %+v", got)
	}
	txt := text(res)
	if len(txt) > 2048 || !strings.Contains(txt, "1. error dependency-not-ready Kustomization/"+ns+"/infra: the dependency is Ready=False HealthCheckFailed") {
		t.Errorf("text (%d bytes):\n%s", len(txt), txt)
	}

	res = call(t, cl, "diagnose_flux_resource", map[string]any{"all": true, "namespace": ns})
	if txt := text(res); res.IsError || !strings.HasPrefix(txt, "8 of 11 objects are not Ready\n") {
		t.Errorf("all: %s", txt)
	}
	res = call(t, cl, "diagnose_flux_resource", map[string]any{"kind": "ks", "name": "nope", "namespace": ns})
	if !res.IsError || !strings.Contains(text(res), `Kustomization "nope" not found`) {
		t.Errorf("not found: %s", text(res))
	}

	res = call(t, cl, "get_flux_dependency_graph", map[string]any{"namespace": ns})
	g := structured[struct {
		Nodes []struct {
			ID        string
			Failing   bool
			Blocks    []string
			BlockedBy []string
		}
		Cycles  [][]string
		Missing []struct{ From, To, Type string }
	}](t, res)
	if len(g.Nodes) != 12 || len(g.Cycles) != 1 || len(g.Missing) != 1 || g.Missing[0].To != "Kustomization/"+ns+"/nowhere" {
		t.Errorf("graph = %+v", g)
	}
	if txt := text(res); !strings.Contains(txt, "cycle: Kustomization/"+ns+"/loop-a -> ") {
		t.Errorf("graph text:\n%s", txt)
	}
}
