package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/export"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

type exportFluxResourcesArgs struct {
	Kind          string `json:"kind" jsonschema:"Or all"`
	Name          string `json:"name,omitempty"`
	All           bool   `json:"all,omitempty"`
	Namespace     string `json:"namespace,omitempty"`
	AllNamespaces bool   `json:"all_namespaces,omitempty"`
	fleetArgs
}

func exportFluxResources(d Deps) Tool {
	return readTool(d, "export_flux_resources",
		"Flux objects as clean YAML, ready to commit.",
		hints{title: "Export Flux resources", readOnly: true, destructive: false, idempotent: true, remote: true},
		func(a exportFluxResourcesArgs, context string) operation.Operation[*export.Result] {
			o := &export.Options{Kind: a.Kind, All: a.All, Namespace: a.Namespace, AllNamespaces: a.AllNamespaces, Context: context}
			if a.Name != "" {
				o.Names = []string{a.Name}
			}
			return o
		}, func(r *export.Result) string {
			if len(r.Items) == 0 {
				return r.EmptyMessage()
			}
			text, err := r.YAML()
			if err != nil {
				return "the objects could not be rendered as YAML: " + err.Error()
			}
			return text
		})
}
