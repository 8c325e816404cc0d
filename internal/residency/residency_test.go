package residency

import (
	"strings"
	"testing"
)

func TestServesMCP(t *testing.T) {
	for args, want := range map[string]bool{
		"kubectl-flux_mcp serve":                        true,
		"kubectl-flux_mcp mcp serve --read-only":        true,
		"kubectl-flux_mcp --kubeconfig k serve":         true,
		"kubectl-flux_mcp get ks -A":                    false,
		"kubectl-flux_mcp":                              false,
		"kubectl-flux_mcp get ks serve-me --context ok": false,
	} {
		if got := servesMCP(strings.Fields(args)); got != want {
			t.Errorf("servesMCP(%q) = %v, want %v", args, got, want)
		}
	}
	if servesMCP(nil) {
		t.Error("servesMCP(nil) = true")
	}
}
