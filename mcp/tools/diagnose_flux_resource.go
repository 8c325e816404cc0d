package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/diagnose"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

type diagnoseFluxResourceArgs struct {
	Kind          string `json:"kind,omitempty" jsonschema:"Flux kind, e.g. Kustomization (ks), HelmRelease (hr), GitRepository; omit with all"`
	Name          string `json:"name,omitempty" jsonschema:"Name of the object; omit with all"`
	Namespace     string `json:"namespace,omitempty" jsonschema:"Namespace; omit for the context's default namespace"`
	All           bool   `json:"all,omitempty" jsonschema:"Diagnose every Flux object that is not Ready instead of one named object"`
	AllNamespaces bool   `json:"all_namespaces,omitempty" jsonschema:"With all: look in every namespace"`
	FluxNamespace string `json:"flux_namespace,omitempty" jsonschema:"Namespace of the Flux controllers, for their logs; default flux-system"`
	fleetArgs
}

func diagnoseFluxResource(d Deps) Tool {
	return readTool(d, "diagnose_flux_resource",
		"Explain why a Flux object is not Ready, in one call: walks its conditions, source chain, dependsOn "+
			"(recursively), applied objects, recent Warning events, controller error logs, suspended parents and "+
			"staleness, and returns findings (severity, rule, object, message, evidence), most likely cause first. "+
			"With all=true, diagnoses every object that is not Ready. Says what it could not read.",
		hints{title: "Diagnose Flux resource", readOnly: true, idempotent: true, remote: true},
		func(a diagnoseFluxResourceArgs, context string) operation.Operation[*diagnose.Result] {
			return &diagnose.Options{Kind: a.Kind, Name: a.Name, Namespace: a.Namespace, All: a.All, AllNamespaces: a.AllNamespaces,
				FluxNamespace: a.FluxNamespace, Context: context}
		}, func(r *diagnose.Result) string { return r.Text() })
}
