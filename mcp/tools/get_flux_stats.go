package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/stats"
)

type getFluxStatsArgs struct {
	Namespace     string `json:"namespace,omitempty"`
	AllNamespaces bool   `json:"all_namespaces,omitempty"`
	Context       string `json:"context,omitempty"`
}

func getFluxStats(d Deps) Tool {
	return Tool{
		Def: newTool[getFluxStatsArgs, stats.Result]("get_flux_stats",
			"Count Flux objects per kind: ready, failing, suspended; artifact storage.",
			hints{title: "Get Flux statistics", readOnly: true, destructive: false, idempotent: true, remote: true}),
		Handler: handler(d, func(a getFluxStatsArgs) operation.Operation[*stats.Result] {
			return &stats.Options{Namespace: a.Namespace, AllNamespaces: a.AllNamespaces, Context: a.Context}
		}, func(r *stats.Result) string { return r.Text() }),
	}
}
