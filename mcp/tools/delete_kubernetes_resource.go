package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/kube"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

type deleteKubernetesResourceArgs struct {
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Namespace string `json:"namespace,omitempty"`
	DryRun    bool   `json:"dry_run,omitempty"`
	Context   string `json:"context,omitempty"`
}

func deleteKubernetesResource(d Deps) Tool {
	return Tool{
		Def: newTool[deleteKubernetesResourceArgs, kube.DeleteResult](d, "delete_kubernetes_resource",
			"Delete one Kubernetes object.",
			hints{title: "Delete Kubernetes resource", destructive: true, idempotent: true, remote: true}),
		Handler: handler(d, func(a deleteKubernetesResourceArgs) operation.Operation[*kube.DeleteResult] {
			return &kube.DeleteOptions{Kind: a.Kind, Name: a.Name, Namespace: a.Namespace, DryRun: a.DryRun, Context: a.Context}
		}, (*kube.DeleteResult).Text),
		Mutating: true,
	}
}
