package tools

import (
	"time"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/kube"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

type getKubernetesResourcesArgs struct {
	Kind          string   `json:"kind"`
	Name          string   `json:"name,omitempty"`
	Namespace     string   `json:"namespace,omitempty"`
	AllNamespaces bool     `json:"all_namespaces,omitempty"`
	LabelSelector string   `json:"label_selector,omitempty"`
	FieldSelector string   `json:"field_selector,omitempty"`
	Fields        []string `json:"fields,omitempty" jsonschema:"JSONPaths, e.g. .status.phase"`
	Limit         int64    `json:"limit,omitempty"`
	Continue      string   `json:"continue,omitempty"`
	fleetArgs
}

func getKubernetesResources(d Deps) Tool {
	return readTool(d, "get_kubernetes_resources",
		"Any Kubernetes objects, as kubectl get; fields picks values.",
		hints{title: "Get Kubernetes resources", readOnly: true, idempotent: true, remote: true},
		func(a getKubernetesResourcesArgs, context string) operation.Operation[*kube.GetResult] {
			return &kube.GetOptions{Kind: a.Kind, Name: a.Name, Namespace: a.Namespace, AllNamespaces: a.AllNamespaces,
				LabelSelector: a.LabelSelector, FieldSelector: a.FieldSelector, Fields: a.Fields, Limit: a.Limit,
				Continue: a.Continue, Context: context, Redact: d.Redact}
		}, func(r *kube.GetResult) string { return r.Text(time.Now()) })
}
