package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/kube"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

type deleteKubernetesResourceArgs struct {
	Kind      string `json:"kind" jsonschema:"Kind as kubectl accepts it: kind, plural or short name (pod, deploy, configmap)"`
	Name      string `json:"name" jsonschema:"Name of the object"`
	Namespace string `json:"namespace,omitempty" jsonschema:"Namespace; omit for the context's default namespace"`
	DryRun    bool   `json:"dry_run,omitempty" jsonschema:"Check that the delete would be allowed without deleting"`
	Context   string `json:"context,omitempty" jsonschema:"Kubeconfig context; omit for the current context"`
}

func deleteKubernetesResource(d Deps) Tool {
	return Tool{
		Def: newTool[deleteKubernetesResourceArgs, kube.DeleteResult]("delete_kubernetes_resource",
			"Delete one Kubernetes object by kind and name; dependents are garbage-collected in the background.",
			hints{title: "Delete Kubernetes resource", destructive: true, idempotent: true, remote: true}),
		Handler: handler(d, func(a deleteKubernetesResourceArgs) operation.Operation[*kube.DeleteResult] {
			return &kube.DeleteOptions{Kind: a.Kind, Name: a.Name, Namespace: a.Namespace, DryRun: a.DryRun, Context: a.Context}
		}, (*kube.DeleteResult).Text),
		Mutating: true,
	}
}
