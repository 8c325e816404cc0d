package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/graph"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

type getFluxDependencyGraphArgs struct {
	Namespace     string `json:"namespace,omitempty"`
	AllNamespaces bool   `json:"all_namespaces,omitempty"`
	fleetArgs
}

func getFluxDependencyGraph(d Deps) Tool {
	return readTool(d, "get_flux_dependency_graph",
		"dependsOn and source graph: readiness, blocked dependents, cycles, missing references.",
		hints{title: "Get Flux dependency graph", readOnly: true, idempotent: true, remote: true},
		func(a getFluxDependencyGraphArgs, context string) operation.Operation[*graph.Result] {
			return &graph.Options{Namespace: a.Namespace, AllNamespaces: a.AllNamespaces, Context: context}
		}, func(r *graph.Result) string { return r.Text() })
}
