package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/kube"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

type applyKubernetesManifestArgs struct {
	Manifest  string `json:"manifest" jsonschema:"One or more YAML documents separated by ---"`
	Namespace string `json:"namespace,omitempty" jsonschema:"Namespace for objects that name none; omit for the context's default namespace"`
	DryRun    bool   `json:"dry_run,omitempty" jsonschema:"Validate on the server and show the result without changing anything"`
	Overwrite bool   `json:"overwrite,omitempty" jsonschema:"Apply even to objects Flux manages (Flux will revert them) and take over fields other managers own"`
	Context   string `json:"context,omitempty" jsonschema:"Kubeconfig context; omit for the current context"`
}

func applyKubernetesManifest(d Deps) Tool {
	return Tool{
		Def: newTool[applyKubernetesManifestArgs, kube.ApplyResult]("apply_kubernetes_manifest",
			"Server-side apply a multi-document YAML manifest (field manager kubectl-flux-mcp). Every document is "+
				"checked first: if any is invalid nothing is applied. Objects managed by Flux are refused unless overwrite.",
			hints{title: "Apply Kubernetes manifest", destructive: true, idempotent: true, remote: true}),
		Handler: handler(d, func(a applyKubernetesManifestArgs) operation.Operation[*kube.ApplyResult] {
			return &kube.ApplyOptions{Manifest: a.Manifest, Namespace: a.Namespace, DryRun: a.DryRun, Overwrite: a.Overwrite,
				Context: a.Context, Redact: d.Redact}
		}, (*kube.ApplyResult).Text),
		Mutating: true,
	}
}
