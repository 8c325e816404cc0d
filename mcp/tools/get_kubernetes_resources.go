package tools

import (
	"time"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/kube"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

type getKubernetesResourcesArgs struct {
	Kind          string   `json:"kind" jsonschema:"Kind as kubectl accepts it: kind, plural or short name, optionally with group (pods, deploy, Deployment, deployments.apps, ks)"`
	Name          string   `json:"name,omitempty" jsonschema:"Name of one object; omit to list"`
	Namespace     string   `json:"namespace,omitempty" jsonschema:"Namespace; omit for the context's default namespace; ignored for cluster-scoped kinds"`
	AllNamespaces bool     `json:"all_namespaces,omitempty" jsonschema:"List across all namespaces"`
	LabelSelector string   `json:"label_selector,omitempty" jsonschema:"Label selector, e.g. app=podinfo,tier!=cache"`
	FieldSelector string   `json:"field_selector,omitempty" jsonschema:"Field selector, e.g. status.phase=Running or metadata.name=podinfo"`
	Fields        []string `json:"fields,omitempty" jsonschema:"JSONPath projections returned per object instead of the whole object, e.g. [\".status.phase\", \"{.spec.containers[*].image}\"]"`
	Limit         int64    `json:"limit,omitempty" jsonschema:"Most objects to return (default 100); a truncated list says so and gives a continue token"`
	Continue      string   `json:"continue,omitempty" jsonschema:"Continue token from a truncated list, for its next page (same kind, namespace and selectors)"`
	fleetArgs
}

func getKubernetesResources(d Deps) Tool {
	return readTool(d, "get_kubernetes_resources",
		"Get or list Kubernetes objects of any kind, as kubectl get does. Use fields (JSONPath) to "+
			"return only the values you need; lists stop at limit with a continue token.",
		hints{title: "Get Kubernetes resources", readOnly: true, idempotent: true, remote: true},
		func(a getKubernetesResourcesArgs, context string) operation.Operation[*kube.GetResult] {
			return &kube.GetOptions{Kind: a.Kind, Name: a.Name, Namespace: a.Namespace, AllNamespaces: a.AllNamespaces,
				LabelSelector: a.LabelSelector, FieldSelector: a.FieldSelector, Fields: a.Fields, Limit: a.Limit,
				Continue: a.Continue, Context: context, Redact: d.Redact}
		}, func(r *kube.GetResult) string { return r.Text(time.Now()) })
}
