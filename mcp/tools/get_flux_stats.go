package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/stats"
)

type getFluxStatsArgs struct {
	Namespace     string `json:"namespace,omitempty" jsonschema:"Namespace; omit for the context's default namespace"`
	AllNamespaces bool   `json:"all_namespaces,omitempty" jsonschema:"Count across all namespaces"`
	fleetArgs
}

func getFluxStats(d Deps) Tool {
	return readTool(d, "get_flux_stats",
		"Count Flux objects per kind: total, ready, failing (Ready=False), suspended, and the artifact storage of the sources. "+
			"A quick overview of a cluster's Flux health.",
		hints{title: "Get Flux statistics", readOnly: true, destructive: false, idempotent: true, remote: true},
		func(a getFluxStatsArgs, context string) operation.Operation[*stats.Result] {
			return &stats.Options{Namespace: a.Namespace, AllNamespaces: a.AllNamespaces, Context: context}
		}, func(r *stats.Result) string { return r.Text() })
}
