package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/tree"
)

type getFluxTreeArgs struct {
	Kind      string `json:"kind" jsonschema:"ks, hr, rset or fi"`
	Name      string `json:"name"`
	Namespace string `json:"namespace,omitempty"`
	Depth     int    `json:"depth,omitempty" jsonschema:"Default all"`
	fleetArgs
}

func getFluxTree(d Deps) Tool {
	return readTool(d, "get_flux_tree",
		"Objects a Kustomization, HelmRelease, ResourceSet or FluxInstance applied, with live state.",
		hints{title: "Get Flux tree", readOnly: true, idempotent: true, remote: true},
		func(a getFluxTreeArgs, context string) operation.Operation[*tree.Result] {
			return &tree.Options{Kind: a.Kind, Name: a.Name, Namespace: a.Namespace, Depth: a.Depth, Context: context}
		}, func(r *tree.Result) string { return r.Text() })
}
