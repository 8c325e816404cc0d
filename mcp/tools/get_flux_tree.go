package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/tree"
)

type getFluxTreeArgs struct {
	Kind      string `json:"kind" jsonschema:"Kustomization (ks), HelmRelease (hr), ResourceSet (rset) or FluxInstance (fi)"`
	Name      string `json:"name" jsonschema:"Name of the object"`
	Namespace string `json:"namespace,omitempty" jsonschema:"Namespace; omit for the context's default namespace"`
	Depth     int    `json:"depth,omitempty" jsonschema:"Levels of inventory to expand; omit or 0 for all"`
	fleetArgs
}

func getFluxTree(d Deps) Tool {
	return readTool(d, "get_flux_tree",
		"Show every object a Kustomization, HelmRelease, ResourceSet or FluxInstance applied, as a tree, "+
			"with each object's live state: missing (in the inventory but deleted), or its Ready status and message. "+
			"Nested Flux objects expand. Use it to find which applied object is gone or failing.",
		hints{title: "Get Flux tree", readOnly: true, idempotent: true, remote: true},
		func(a getFluxTreeArgs, context string) operation.Operation[*tree.Result] {
			return &tree.Options{Kind: a.Kind, Name: a.Name, Namespace: a.Namespace, Depth: a.Depth, Context: context}
		}, func(r *tree.Result) string { return r.Text() })
}
