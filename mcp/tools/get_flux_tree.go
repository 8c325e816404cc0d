package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/tree"
)

type getFluxTreeArgs struct {
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Namespace string `json:"namespace,omitempty"`
	Depth     int    `json:"depth,omitempty"`
	Limit     int    `json:"limit,omitempty"`
	fleetArgs
}

// defaultTreeLimit keeps a tree of thousands of objects to a few tens of KB of structured content;
// the counts and the text still describe all of it.
const defaultTreeLimit = 100

func getFluxTree(d Deps) Tool {
	return readTool(d, "get_flux_tree",
		"What a Kustomization, HelmRelease, ResourceSet or FluxInstance applied, with live state.",
		hints{title: "Get Flux tree", readOnly: true, idempotent: true, remote: true},
		func(a getFluxTreeArgs, context string) operation.Operation[*tree.Result] {
			limit := a.Limit
			if limit == 0 {
				limit = defaultTreeLimit
			}
			o := &tree.Options{Kind: a.Kind, Name: a.Name, Namespace: a.Namespace, Depth: a.Depth, Context: context}
			return trimmed[*tree.Result]{o, func(r *tree.Result) { r.Compact(limit) }}
		}, func(r *tree.Result) string { return r.Text() })
}
