package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/stats"
)

type getFluxStatsArgs struct {
	Namespace     string `json:"namespace,omitempty"`
	AllNamespaces bool   `json:"all_namespaces,omitempty"`
	fleetArgs
}

func getFluxStats(d Deps) Tool {
	return readTool(d, "get_flux_stats",
		"Flux objects per kind: ready, failing, suspended; artifact storage.",
		hints{title: "Get Flux statistics", readOnly: true, destructive: false, idempotent: true, remote: true},
		func(a getFluxStatsArgs, context string) operation.Operation[*stats.Result] {
			return &stats.Options{Namespace: a.Namespace, AllNamespaces: a.AllNamespaces, Context: context}
		}, func(r *stats.Result) string { return r.Text() })
}
