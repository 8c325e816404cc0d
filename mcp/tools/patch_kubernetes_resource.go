package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/kube"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

type patchKubernetesResourceArgs struct {
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Namespace string `json:"namespace,omitempty"`
	Type      string `json:"type,omitempty" jsonschema:"merge (default), json or strategic"`
	Patch     string `json:"patch" jsonschema:"JSON or YAML"`
	DryRun    bool   `json:"dry_run,omitempty"`
	Context   string `json:"context,omitempty"`
}

func patchKubernetesResource(d Deps) Tool {
	return Tool{
		Def: newTool[patchKubernetesResourceArgs, kube.PatchResult](d, "patch_kubernetes_resource",
			"Patch one Kubernetes object, as kubectl patch.",
			hints{title: "Patch Kubernetes resource", destructive: true, remote: true}),
		Handler: handler(d, func(a patchKubernetesResourceArgs) operation.Operation[*kube.PatchResult] {
			return &kube.PatchOptions{Kind: a.Kind, Name: a.Name, Namespace: a.Namespace, Type: a.Type, Patch: a.Patch,
				DryRun: a.DryRun, Context: a.Context, Redact: d.Redact}
		}, (*kube.PatchResult).Text),
		Mutating: true,
	}
}
