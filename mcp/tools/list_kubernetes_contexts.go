package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/kube"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

// listKubernetesContextsArgs is empty: the tool lists the contexts the others accept as context.
type listKubernetesContextsArgs struct{}

func listKubernetesContexts(d Deps) Tool {
	return Tool{
		Def: newTool[listKubernetesContextsArgs, kube.ContextsResult](d, "list_kubernetes_contexts",
			"Kubeconfig contexts, the current one marked; no credentials.",
			// The kubeconfig is a local file: nothing outside the machine is asked.
			hints{title: "List Kubernetes contexts", readOnly: true, idempotent: true}),
		Handler: handler(d, func(listKubernetesContextsArgs) operation.Operation[*kube.ContextsResult] {
			return &kube.ContextsOptions{}
		}, (*kube.ContextsResult).Text),
	}
}
