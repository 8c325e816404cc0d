package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/trace"
)

type traceFluxResourceArgs struct {
	Kind       string `json:"kind"`
	Name       string `json:"name"`
	Namespace  string `json:"namespace,omitempty"`
	APIVersion string `json:"api_version,omitempty" jsonschema:"If kind is ambiguous"`
	fleetArgs
}

func traceFluxResource(d Deps) Tool {
	return readTool(d, "trace_flux_resource",
		"Flux objects that applied a Kubernetes object, up to its source, with Ready and revision.",
		hints{title: "Trace Flux resource", readOnly: true, idempotent: true, remote: true},
		func(a traceFluxResourceArgs, context string) operation.Operation[*trace.Result] {
			return &trace.Options{Kind: a.Kind, Name: a.Name, Namespace: a.Namespace, APIVersion: a.APIVersion, Context: context}
		}, func(r *trace.Result) string { return r.Text() })
}
