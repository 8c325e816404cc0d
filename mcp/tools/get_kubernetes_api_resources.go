package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/kube"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

type getKubernetesAPIResourcesArgs struct {
	APIGroup string `json:"api_group,omitempty" jsonschema:"core for the legacy one"`
	fleetArgs
}

func getKubernetesAPIResources(d Deps) Tool {
	return readTool(d, "get_kubernetes_api_resources",
		"Kinds the cluster serves, as kubectl api-resources.",
		hints{title: "Get Kubernetes API resources", readOnly: true, idempotent: true, remote: true},
		func(a getKubernetesAPIResourcesArgs, context string) operation.Operation[*kube.APIResourcesResult] {
			return &kube.APIResourcesOptions{APIGroup: a.APIGroup, Context: context}
		}, (*kube.APIResourcesResult).Text)
}
