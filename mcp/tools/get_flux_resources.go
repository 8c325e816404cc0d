package tools

import (
	"context"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/get"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

// defaultGetLimit keeps the default answer small (≤ 32 KB for any number of objects): the counts
// per kind say the rest, and the objects needing attention come first.
const defaultGetLimit = 50

type getFluxResourcesArgs struct {
	Kind           string   `json:"kind" jsonschema:"Flux kind by name, plural or short name (Kustomization, ks, HelmRelease, hr, GitRepository, OCIRepository, HelmRepository, HelmChart, Bucket, Alert, Provider, Receiver, ImageRepository, ImagePolicy, ImageUpdateAutomation, FluxInstance, ResourceSet, ResourceSetInputProvider), or all"`
	Name           string   `json:"name,omitempty" jsonschema:"Name of one object; omit to list"`
	Namespace      string   `json:"namespace,omitempty" jsonschema:"Namespace; omit for the context's default namespace"`
	AllNamespaces  bool     `json:"all_namespaces,omitempty" jsonschema:"List across all namespaces"`
	LabelSelector  string   `json:"label_selector,omitempty" jsonschema:"Label selector, e.g. app=podinfo"`
	StatusSelector string   `json:"status_selector,omitempty" jsonschema:"Condition filter, e.g. ready=false to find failing objects"`
	Limit          int      `json:"limit,omitempty" jsonschema:"Most objects to return, failing first (default 50); counts always cover all"`
	Continue       string   `json:"continue,omitempty" jsonschema:"Continue token of a truncated answer, for its next page"`
	Context        string   `json:"context,omitempty" jsonschema:"Kubeconfig context; omit for the current context"`
	Contexts       []string `json:"contexts,omitempty" jsonschema:"Several kubeconfig contexts to query concurrently, or [\"*\"] for all; each context's answer or error is kept"`
}

// compactGet is the get operation with its items made compact for a model.
type compactGet struct{ *get.Options }

func (c compactGet) Run(ctx context.Context) (*get.Result, error) {
	res, err := c.Options.Run(ctx)
	if err == nil {
		res.Compact()
	}
	return res, err
}

func getFluxResources(d Deps) Tool {
	return Tool{
		Def: newTool[getFluxResourcesArgs, get.Result]("get_flux_resources",
			"List Flux objects with their Ready status, reason, message, revision and suspension: counts per kind, "+
				"then the objects needing attention first, up to limit. "+
				"Use kind=all with status_selector=ready=false to find everything that is failing.",
			hints{title: "Get Flux resources", readOnly: true, idempotent: true, remote: true}),
		Handler: handler(d, func(a getFluxResourcesArgs) operation.Operation[*get.Result] {
			o := &get.Options{Kind: a.Kind, Namespace: a.Namespace, AllNamespaces: a.AllNamespaces,
				LabelSelector: a.LabelSelector, StatusSelector: a.StatusSelector, Context: a.Context,
				Limit: a.Limit, Continue: a.Continue, ItemsOnly: true}
			if o.Limit == 0 {
				o.Limit = defaultGetLimit
			}
			if len(a.Contexts) == 1 && a.Contexts[0] == "*" {
				o.AllContexts = true
			} else {
				o.Contexts = a.Contexts
			}
			if a.Name != "" {
				o.Names = []string{a.Name}
			}
			return compactGet{o}
		}, func(r *get.Result) string { return r.Text() }),
	}
}
