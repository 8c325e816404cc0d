package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/graph"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

type getFluxDependencyGraphArgs struct {
	Namespace     string `json:"namespace,omitempty"`
	AllNamespaces bool   `json:"all_namespaces,omitempty"`
	Context       string `json:"context,omitempty"`
}

func getFluxDependencyGraph(d Deps) Tool {
	return Tool{
		Def: newTool[getFluxDependencyGraphArgs, graph.Result]("get_flux_dependency_graph",
			"dependsOn and source graph: readiness, blocked dependents, cycles, missing references.",
			hints{title: "Get Flux dependency graph", readOnly: true, idempotent: true, remote: true}),
		Handler: handler(d, func(a getFluxDependencyGraphArgs) operation.Operation[*graph.Result] {
			return &graph.Options{Namespace: a.Namespace, AllNamespaces: a.AllNamespaces, Context: a.Context}
		}, func(r *graph.Result) string { return r.Text() }),
	}
}
