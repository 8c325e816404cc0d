package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/get"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

// defaultGetLimit and listMessageMax keep the default answer small (≤ 32 KB for any number of
// objects, failing ones with long messages included): the counts per kind say the rest, and the
// objects needing attention come first. A named object keeps its whole message.
const (
	defaultGetLimit = 30
	listMessageMax  = 240
)

type getFluxResourcesArgs struct {
	Kind           string `json:"kind" jsonschema:"Or all"`
	Name           string `json:"name,omitempty"`
	Namespace      string `json:"namespace,omitempty"`
	AllNamespaces  bool   `json:"all_namespaces,omitempty"`
	LabelSelector  string `json:"label_selector,omitempty"`
	StatusSelector string `json:"status_selector,omitempty" jsonschema:"e.g. ready=false"`
	Limit          int    `json:"limit,omitempty"`
	Continue       string `json:"continue,omitempty"`
	fleetArgs
}

func getFluxResources(d Deps) Tool {
	return Tool{
		Def: newTool[getFluxResourcesArgs, get.Result](d, "get_flux_resources",
			"Flux objects' Ready, message, revision: counts per kind, failing first. kind=all status_selector=ready=false: every failure.",
			hints{title: "Get Flux resources", readOnly: true, idempotent: true, remote: true}),
		Handler: handler(d, func(a getFluxResourcesArgs) operation.Operation[*get.Result] {
			o := &get.Options{Kind: a.Kind, Namespace: a.Namespace, AllNamespaces: a.AllNamespaces,
				LabelSelector: a.LabelSelector, StatusSelector: a.StatusSelector, Context: a.Context,
				Limit: a.Limit, Continue: a.Continue, ItemsOnly: true}
			if o.Limit == 0 {
				o.Limit = defaultGetLimit
			}
			// get merges the contexts into one list with a context per item (fleet.Resolve reads "*").
			o.Contexts = a.Contexts
			messageMax := listMessageMax
			if a.Name != "" {
				// A named object keeps its whole message.
				o.Names, messageMax = []string{a.Name}, 0
			}
			return trimmed[*get.Result]{o, func(r *get.Result) { r.Compact(messageMax) }}
		}, func(r *get.Result) string { return r.Text() }),
	}
}
