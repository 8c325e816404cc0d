package tools

import (
	"time"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/get"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

type getFluxResourcesArgs struct {
	Kind           string `json:"kind" jsonschema:"Flux kind by name, plural or short name (Kustomization, ks, HelmRelease, hr, GitRepository, OCIRepository, HelmRepository, HelmChart, Bucket, Alert, Provider, Receiver, ImageRepository, ImagePolicy, ImageUpdateAutomation, FluxInstance, ResourceSet, ResourceSetInputProvider), or all"`
	Name           string `json:"name,omitempty" jsonschema:"Name of one object; omit to list"`
	Namespace      string `json:"namespace,omitempty" jsonschema:"Namespace; omit for the context's default namespace"`
	AllNamespaces  bool   `json:"all_namespaces,omitempty" jsonschema:"List across all namespaces"`
	LabelSelector  string `json:"label_selector,omitempty" jsonschema:"Label selector, e.g. app=podinfo"`
	StatusSelector string `json:"status_selector,omitempty" jsonschema:"Condition filter, e.g. ready=false to find failing objects"`
	fleetArgs
}

func getFluxResources(d Deps) Tool {
	return Tool{
		Def: newTool[getFluxResourcesArgs, get.Result]("get_flux_resources",
			"List Flux objects with their Ready status, reason, message, revision and suspension. "+
				"Use kind=all with status_selector=ready=false to find everything that is failing.",
			hints{title: "Get Flux resources", readOnly: true, idempotent: true, remote: true}),
		Handler: handler(d, func(a getFluxResourcesArgs) operation.Operation[*get.Result] {
			o := &get.Options{Kind: a.Kind, Namespace: a.Namespace, AllNamespaces: a.AllNamespaces,
				LabelSelector: a.LabelSelector, StatusSelector: a.StatusSelector, Context: a.Context}
			// get merges the contexts into one list with a context per item (fleet.Resolve reads "*").
			o.Contexts = a.Contexts
			if a.Name != "" {
				o.Names = []string{a.Name}
			}
			return o
		}, func(r *get.Result) string { return r.Text(time.Now()) }),
	}
}
