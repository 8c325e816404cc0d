package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/kube"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

type getKubernetesAPIResourcesArgs struct {
	APIGroup string `json:"api_group,omitempty" jsonschema:"Only this API group, e.g. apps or kustomize.toolkit.fluxcd.io; core for the legacy group"`
	fleetArgs
}

func getKubernetesAPIResources(d Deps) Tool {
	return readTool(d, "get_kubernetes_api_resources",
		"List the kinds the cluster serves with their short names, API versions and scope, as kubectl api-resources does.",
		hints{title: "Get Kubernetes API resources", readOnly: true, idempotent: true, remote: true},
		func(a getKubernetesAPIResourcesArgs, context string) operation.Operation[*kube.APIResourcesResult] {
			return &kube.APIResourcesOptions{APIGroup: a.APIGroup, Context: context}
		}, (*kube.APIResourcesResult).Text)
}
