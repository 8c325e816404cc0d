package mcp_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

func TestStdioExplainFluxAPI(t *testing.T) {
	c := testcluster.Get(t)
	cl := stdioClient(t, c, "serve")
	args := map[string]any{"path": "hr.spec.chart.spec.sourceRef"}
	res := call(t, cl, "explain_flux_api", args)
	// A fresh test server publishes the CRD schemas a moment after it starts.
	for deadline := time.Now().Add(30 * time.Second); res.IsError && strings.Contains(text(res), "does not publish") && time.Now().Before(deadline); {
		time.Sleep(200 * time.Millisecond)
		res = call(t, cl, "explain_flux_api", args)
	}
	if res.IsError {
		t.Fatal(text(res))
	}
	txt := text(res)
	if !strings.Contains(txt, "KIND:       HelmRelease") || !strings.Contains(txt, "FIELD: sourceRef <Object>") || !strings.Contains(txt, "kind\t<string> -required-") {
		t.Errorf("text:\n%s", txt)
	}
	res = call(t, cl, "explain_flux_api", map[string]any{"path": "hr.spec.nope"})
	if !res.IsError || text(res) != `cannot explain helmrelease.spec.nope: field "nope" does not exist` {
		t.Errorf("isError=%v text=%q", res.IsError, text(res))
	}
}
