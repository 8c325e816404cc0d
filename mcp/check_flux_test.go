package mcp_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

// Failed checks are a result to read, not a tool error.
func TestStdioCheckFlux(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "flux")
	res := call(t, stdioClient(t, c, "serve"), "check_flux", map[string]any{"flux_namespace": ns})
	if res.IsError {
		t.Fatal(text(res))
	}
	raw, _ := json.Marshal(res.StructuredContent)
	var got struct {
		Failed     int
		Kubernetes string
		Checks     []struct{ Name, Status, Message string }
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if got.Failed != 1 || !strings.HasPrefix(got.Kubernetes, "v1.37.") || got.Checks[0].Name != "kubernetes" || got.Checks[0].Status != "ok" {
		t.Errorf("result = %+v", got)
	}
	txt := text(res)
	if !strings.Contains(txt, `no Flux controllers found in namespace "`+ns+`"`) || !strings.HasSuffix(strings.TrimSpace(txt), "checks failed: controllers") {
		t.Errorf("text:\n%s", txt)
	}
}
