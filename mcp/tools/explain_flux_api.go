package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/explain"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

type explainFluxAPIArgs struct {
	Path       string `json:"path" jsonschema:"KIND or KIND.FIELD.PATH, e.g. kustomization, ks.spec.postBuild, hr.spec.chart.spec.sourceRef"`
	Recursive  bool   `json:"recursive,omitempty" jsonschema:"Also list the fields of fields"`
	APIVersion string `json:"api_version,omitempty" jsonschema:"A served version other than the preferred one, e.g. v1beta2"`
	Context    string `json:"context,omitempty" jsonschema:"Kubeconfig context; omit for the current context"`
}

func explainFluxAPI(d Deps) Tool {
	return Tool{
		Def: newTool[explainFluxAPIArgs, explain.Result]("explain_flux_api",
			"Document a Flux kind or field like kubectl explain, from the schema of the Flux CRDs installed in the cluster: "+
				"type, description and fields. Use it before writing or fixing a Flux manifest.",
			hints{title: "Explain Flux API", readOnly: true, destructive: false, idempotent: true, remote: true}),
		Handler: handler(d, func(a explainFluxAPIArgs) operation.Operation[*explain.Result] {
			return &explain.Options{Path: a.Path, Recursive: a.Recursive, APIVersion: a.APIVersion, Context: a.Context}
		}, func(r *explain.Result) string { return r.Text }),
	}
}
