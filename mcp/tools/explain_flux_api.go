package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/explain"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

type explainFluxAPIArgs struct {
	Path       string `json:"path" jsonschema:"KIND[.FIELD.PATH], e.g. ks.spec.postBuild"`
	Recursive  bool   `json:"recursive,omitempty"`
	APIVersion string `json:"api_version,omitempty"`
	Context    string `json:"context,omitempty"`
}

func explainFluxAPI(d Deps) Tool {
	return Tool{
		Def: newTool[explainFluxAPIArgs, explain.Result](d, "explain_flux_api",
			"Document a Flux kind or field, as kubectl explain.",
			hints{title: "Explain Flux API", readOnly: true, destructive: false, idempotent: true, remote: true}),
		Handler: handler(d, func(a explainFluxAPIArgs) operation.Operation[*explain.Result] {
			return &explain.Options{Path: a.Path, Recursive: a.Recursive, APIVersion: a.APIVersion, Context: a.Context}
		}, func(r *explain.Result) string { return r.Text }),
	}
}
