package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/graph"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

type getFluxDependencyGraphArgs struct {
	Namespace     string `json:"namespace,omitempty" jsonschema:"Namespace; omit for the context's default namespace"`
	AllNamespaces bool   `json:"all_namespaces,omitempty" jsonschema:"Graph every namespace"`
	fleetArgs
}

func getFluxDependencyGraph(d Deps) Tool {
	return readTool(d, "get_flux_dependency_graph",
		"Show the dependsOn graph of Kustomizations and HelmReleases plus their source edges: each node's readiness, "+
			"which failing nodes block which dependents, dependsOn cycles and references to objects that do not exist.",
		hints{title: "Get Flux dependency graph", readOnly: true, idempotent: true, remote: true},
		func(a getFluxDependencyGraphArgs, context string) operation.Operation[*graph.Result] {
			return &graph.Options{Namespace: a.Namespace, AllNamespaces: a.AllNamespaces, Context: context}
		}, func(r *graph.Result) string { return r.Text() })
}
