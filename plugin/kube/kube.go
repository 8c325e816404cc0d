// Package kube holds the generic Kubernetes operations that sit beside the Flux ones: get any
// kind, list API resources, server-side apply, patch, delete and list kubeconfig contexts. They
// mirror kubectl so that an assistant needs no second tool set, and refuse what kubectl would let
// slip, such as editing objects that Flux manages.
package kube

import (
	"fmt"
	"reflect"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/restmapper"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
)

// FieldManager is the server-side apply field manager of every write.
const FieldManager = "kubectl-flux-mcp"

// Labels that Flux sets on the objects it applies: an object that carries one is reverted by the
// next reconciliation, so changing it in the cluster is refused unless asked for explicitly.
const (
	KustomizeNameLabel      = "kustomize.toolkit.fluxcd.io/name"
	KustomizeNamespaceLabel = "kustomize.toolkit.fluxcd.io/namespace"
	HelmNameLabel           = "helm.toolkit.fluxcd.io/name"
	HelmNamespaceLabel      = "helm.toolkit.fluxcd.io/namespace"
)

// Redactor changes an object read from or returned by the cluster before it goes into a result;
// the MCP server passes one that masks Secret values, so that no projection can bypass masking.
type Redactor func(*unstructured.Unstructured)

func (r Redactor) apply(obj *unstructured.Unstructured) {
	if r != nil && obj != nil {
		r(obj)
	}
}

// ResolveResource maps a kind as kubectl accepts it (kind, plural, singular or short name,
// optionally with .group or .version.group) to the resource the cluster serves.
func ResolveResource(cl *cluster.Clients, arg string) (*meta.RESTMapping, error) {
	if strings.TrimSpace(arg) == "" {
		return nil, fmt.Errorf("a kind is required, e.g. pods, deploy or configmap (get_kubernetes_api_resources lists them)")
	}
	m, err := resolve(cl, arg)
	if meta.IsNoMatchError(err) {
		// The cached discovery may predate a CRD installed since.
		cl.Mapper.Reset()
		m, err = resolve(cl, arg)
	}
	if meta.IsNoMatchError(err) {
		return nil, fmt.Errorf("the server doesn't have a resource type %q (get_kubernetes_api_resources lists the kinds it serves)", arg)
	}
	if err != nil {
		return nil, cluster.Explain(err)
	}
	return m, nil
}

func resolve(cl *cluster.Clients, arg string) (*meta.RESTMapping, error) {
	mapper := restmapper.NewShortcutExpander(cl.Mapper, cl.Discovery, func(string) {})
	full, gr := schema.ParseResourceArg(strings.ToLower(arg))
	var gvk schema.GroupVersionKind
	var err error
	if full != nil {
		gvk, err = mapper.KindFor(*full)
	}
	if full == nil || err != nil {
		gvk, err = mapper.KindFor(gr.WithVersion(""))
	}
	if err != nil {
		return nil, err
	}
	return mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
}

// mappingFor maps an object's apiVersion and kind, as in a manifest.
func mappingFor(cl *cluster.Clients, gvk schema.GroupVersionKind) (*meta.RESTMapping, error) {
	m, err := cl.Mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if meta.IsNoMatchError(err) {
		cl.Mapper.Reset()
		m, err = cl.Mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	}
	if meta.IsNoMatchError(err) {
		return nil, fmt.Errorf("the server doesn't serve kind %q in %q (is its CRD installed?)", gvk.Kind, gvk.GroupVersion())
	}
	if err != nil {
		return nil, cluster.Explain(err)
	}
	return m, nil
}

// resourceClient is the dynamic client of a resource, in ns when it is namespaced.

func namespaced(m *meta.RESTMapping) bool { return m.Scope.Name() == meta.RESTScopeNameNamespace }

// resolveTarget is the Complete step that get, patch and delete share: the context's clients, the
// kind's mapping, and the namespace: cleared for a cluster-scoped kind or all namespaces, the
// context's when none was given.
func resolveTarget(c *cluster.Cache, context, kind string, namespace *string, allNamespaces bool) (*cluster.Clients, *meta.RESTMapping, error) {
	cl, err := c.ForNamespace(context, namespace, allNamespaces)
	if err != nil {
		return nil, nil, err
	}
	mapping, err := ResolveResource(cl, kind)
	if err != nil {
		return nil, nil, err
	}
	if !namespaced(mapping) {
		*namespace = ""
	}
	return cl, mapping, nil
}

// Ref names an object the way kubectl prints it: kind/name, with the namespace when there is one.
type Ref struct {
	Kind       string `json:"kind"`
	APIVersion string `json:"apiVersion"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name"`
}

func (r Ref) String() string {
	s := strings.ToLower(r.Kind) + "/" + r.Name
	if r.Namespace != "" {
		return r.Namespace + "/" + s
	}
	return s
}

func refOf(obj *unstructured.Unstructured) Ref {
	return Ref{Kind: obj.GetKind(), APIVersion: obj.GetAPIVersion(), Namespace: obj.GetNamespace(), Name: obj.GetName()}
}

// FluxOwner says which Flux object manages obj ("" when none), from the labels Flux sets.
func FluxOwner(obj *unstructured.Unstructured) string {
	if obj == nil {
		return ""
	}
	l := obj.GetLabels()
	if n := l[KustomizeNameLabel]; n != "" {
		return "Kustomization " + l[KustomizeNamespaceLabel] + "/" + n
	}
	if n := l[HelmNameLabel]; n != "" {
		return "HelmRelease " + l[HelmNamespaceLabel] + "/" + n
	}
	return ""
}

// compact is the object as results carry it: managedFields say nothing to a reader and are large.
func compact(obj *unstructured.Unstructured) map[string]any {
	if obj == nil {
		return nil
	}
	c := obj.DeepCopy()
	c.SetManagedFields(nil)
	return c.Object
}

// sameContent says whether two versions of an object differ in more than bookkeeping.
func sameContent(a, b *unstructured.Unstructured) bool {
	strip := func(o *unstructured.Unstructured) map[string]any {
		c := o.DeepCopy()
		c.SetManagedFields(nil)
		c.SetResourceVersion("")
		c.SetGeneration(0)
		unstructured.RemoveNestedField(c.Object, "status")
		return c.Object
	}
	return reflect.DeepEqual(strip(a), strip(b))
}
