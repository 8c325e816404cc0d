package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/trace"
)

type traceFluxResourceArgs struct {
	Kind       string `json:"kind" jsonschema:"Any kind the cluster serves, as kubectl accepts it: Deployment, deploy, ConfigMap, cm, Pod, Kustomization, helmreleases.helm.toolkit.fluxcd.io"`
	Name       string `json:"name" jsonschema:"Name of the object"`
	Namespace  string `json:"namespace,omitempty" jsonschema:"Namespace; omit for the context's default namespace (ignored for cluster-scoped kinds)"`
	APIVersion string `json:"api_version,omitempty" jsonschema:"API version of the kind, e.g. apps/v1, when the kind alone is ambiguous"`
	fleetArgs
}

func traceFluxResource(d Deps) Tool {
	return readTool(d, "trace_flux_resource",
		"Trace any Kubernetes object up the chain of Flux objects that applied it (e.g. Deployment <- HelmRelease <- Kustomization <- ResourceSet), "+
			"with each level's Ready status, revision and source (kind, URL, artifact revision). Pods are traced through their owners. "+
			"Use it to find which Flux object and which commit or chart version put an object in the cluster.",
		hints{title: "Trace Flux resource", readOnly: true, idempotent: true, remote: true},
		func(a traceFluxResourceArgs, context string) operation.Operation[*trace.Result] {
			return &trace.Options{Kind: a.Kind, Name: a.Name, Namespace: a.Namespace, APIVersion: a.APIVersion, Context: context}
		}, func(r *trace.Result) string { return r.Text() })
}
