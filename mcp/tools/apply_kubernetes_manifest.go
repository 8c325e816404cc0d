package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/kube"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

type applyKubernetesManifestArgs struct {
	Manifest  string `json:"manifest"`
	Namespace string `json:"namespace,omitempty" jsonschema:"For objects that name none"`
	DryRun    bool   `json:"dry_run,omitempty"`
	Overwrite bool   `json:"overwrite,omitempty"`
	Context   string `json:"context,omitempty"`
}

func applyKubernetesManifest(d Deps) Tool {
	return Tool{
		Def: newTool[applyKubernetesManifestArgs, kube.ApplyResult](d, "apply_kubernetes_manifest",
			"Server-side apply YAML, all or none; objects Flux manages only with overwrite.",
			hints{title: "Apply Kubernetes manifest", destructive: true, idempotent: true, remote: true}),
		Handler: handler(d, func(a applyKubernetesManifestArgs) operation.Operation[*kube.ApplyResult] {
			return &kube.ApplyOptions{Manifest: a.Manifest, Namespace: a.Namespace, DryRun: a.DryRun, Overwrite: a.Overwrite,
				Context: a.Context, Redact: d.Redact}
		}, (*kube.ApplyResult).Text),
		Mutating: true,
	}
}
