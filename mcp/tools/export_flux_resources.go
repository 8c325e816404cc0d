package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/export"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

type exportFluxResourcesArgs struct {
	Kind          string `json:"kind" jsonschema:"Flux kind by name, plural or short name (Kustomization, ks, HelmRelease, hr, GitRepository…), or all"`
	Name          string `json:"name,omitempty" jsonschema:"Name of one object; omit and set all=true to export every object"`
	All           bool   `json:"all,omitempty" jsonschema:"Export every object of the kind"`
	Namespace     string `json:"namespace,omitempty" jsonschema:"Namespace; omit for the context's default namespace"`
	AllNamespaces bool   `json:"all_namespaces,omitempty" jsonschema:"Export across all namespaces (with all=true)"`
	fleetArgs
}

func exportFluxResources(d Deps) Tool {
	return readTool(d, "export_flux_resources",
		"Export Flux objects as clean multi-document YAML (no status, managedFields, uid, resourceVersion, generation, "+
			"creationTimestamp or last-applied annotation), ready to commit to Git or apply elsewhere.",
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
