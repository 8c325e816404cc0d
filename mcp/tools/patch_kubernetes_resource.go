package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/kube"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

type patchKubernetesResourceArgs struct {
	Kind      string `json:"kind" jsonschema:"Kind as kubectl accepts it: kind, plural or short name (deploy, configmap, ks)"`
	Name      string `json:"name" jsonschema:"Name of the object"`
	Namespace string `json:"namespace,omitempty" jsonschema:"Namespace; omit for the context's default namespace"`
	Type      string `json:"type,omitempty" jsonschema:"Patch type: merge (default), json or strategic (built-in kinds only)"`
	Patch     string `json:"patch" jsonschema:"The patch, JSON or YAML: an object for merge and strategic, a list of operations for json"`
	DryRun    bool   `json:"dry_run,omitempty" jsonschema:"Show the patched object without changing anything"`
	Context   string `json:"context,omitempty" jsonschema:"Kubeconfig context; omit for the current context"`
}

func patchKubernetesResource(d Deps) Tool {
	return Tool{
		Def: newTool[patchKubernetesResourceArgs, kube.PatchResult]("patch_kubernetes_resource",
			"Patch one Kubernetes object with a merge, JSON or strategic merge patch, as kubectl patch does.",
			hints{title: "Patch Kubernetes resource", destructive: true, remote: true}),
		Handler: handler(d, func(a patchKubernetesResourceArgs) operation.Operation[*kube.PatchResult] {
			return &kube.PatchOptions{Kind: a.Kind, Name: a.Name, Namespace: a.Namespace, Type: a.Type, Patch: a.Patch,
				DryRun: a.DryRun, Context: a.Context, Redact: d.Redact}
		}, (*kube.PatchResult).Text),
		Mutating: true,
	}
}
