package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/diagnose"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

type diagnoseFluxResourceArgs struct {
	Kind          string `json:"kind,omitempty"`
	Name          string `json:"name,omitempty"`
	Namespace     string `json:"namespace,omitempty"`
	All           bool   `json:"all,omitempty" jsonschema:"Every object not Ready"`
	AllNamespaces bool   `json:"all_namespaces,omitempty"`
	FluxNamespace string `json:"flux_namespace,omitempty"`
	fleetArgs
}

func diagnoseFluxResource(d Deps) Tool {
	return readTool(d, "diagnose_flux_resource",
		"Why a Flux object is not Ready: conditions, source, dependsOn, applied objects, events, logs; likeliest cause first.",
		hints{title: "Diagnose Flux resource", readOnly: true, idempotent: true, remote: true},
		func(a diagnoseFluxResourceArgs, context string) operation.Operation[*diagnose.Result] {
			return &diagnose.Options{Kind: a.Kind, Name: a.Name, Namespace: a.Namespace, All: a.All, AllNamespaces: a.AllNamespaces,
				FluxNamespace: a.FluxNamespace, Context: context}
		}, func(r *diagnose.Result) string { return r.Text() })
}
