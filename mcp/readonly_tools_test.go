package mcp_test

import (
	"context"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

// The read-only operations are listed, also under --read-only, with every hint saying so.
func TestStdioReadOnlyToolsAndTheirHints(t *testing.T) {
	c := testcluster.Get(t)
	want := map[string]string{ // tool -> required arguments
		"get_flux_logs": "", "get_flux_stats": "", "check_flux": "", "explain_flux_api": "path", "export_flux_resources": "kind",
	}
	cl := stdioClient(t, c, "serve", "--read-only")
	res, err := cl.ListTools(context.Background(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, tool := range res.Tools {
		req, ok := want[tool.Name]
		if !ok {
			continue
		}
		seen[tool.Name] = true
		a := tool.Annotations
		if !*a.ReadOnlyHint || *a.DestructiveHint || !*a.IdempotentHint || !*a.OpenWorldHint || tool.Title == "" {
			t.Errorf("%s hints = %+v", tool.Name, a)
		}
		if got := strings.Join(tool.InputSchema.Required, ","); got != req {
			t.Errorf("%s required = %q, want %q", tool.Name, got, req)
		}
		if _, ok := tool.InputSchema.Properties["context"]; !ok {
			t.Errorf("%s has no context argument", tool.Name)
		}
	}
	if len(seen) != len(want) {
		t.Errorf("listed %v, want all of %v", seen, want)
	}
}
