// Package export prints Flux objects as clean manifests, like `flux export`: what was applied,
// without the state the server added (status, managedFields, uid, resourceVersion…), ready to be
// applied again elsewhere. It is the operation behind `kubectl flux-mcp export` and the MCP tool
// export_flux_resources.
package export

import (
	"context"
	"errors"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/get"
)

// LastAppliedAnnotation is kubectl's copy of the last applied manifest; exported objects drop it.
const LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

// Options are the inputs of export.
type Options struct {
	// Kind is a Flux kind in any of its names, or "all".
	Kind string
	// Names select objects by name; otherwise All must be set.
	Names         []string
	All           bool
	Namespace     string
	AllNamespaces bool
	Context       string

	list *get.Options
}

// Result holds the cleaned objects.
type Result struct {
	Items []map[string]any `json:"items" jsonschema:"The exported objects, without status and server-set metadata"`
	// NotInstalled lists the kinds skipped by "all" because their CRD is not installed.
	NotInstalled []string `json:"notInstalled,omitempty"`
	Namespace    string   `json:"namespace,omitempty"`
}

// Complete resolves context, namespace and kind through the get operation, which does the listing.
func (o *Options) Complete(c *cluster.Cache) error {
	o.list = &get.Options{Kind: o.Kind, Names: o.Names, Namespace: o.Namespace, AllNamespaces: o.AllNamespaces, Context: o.Context}
	return o.list.Complete(c)
}

// Validate asks for names or all, not both.
func (o *Options) Validate() error {
	switch {
	case len(o.Names) == 0 && !o.All:
		return errors.New("name the objects to export, or export them all with --all (all=true)")
	case len(o.Names) > 0 && o.All:
		return errors.New("give names or --all, not both")
	}
	return o.list.Validate()
}

// Run lists the objects and cleans them.
func (o *Options) Run(ctx context.Context) (*Result, error) {
	listed, err := o.list.Run(ctx)
	if err != nil {
		return nil, err
	}
	res := &Result{Items: []map[string]any{}, NotInstalled: listed.NotInstalled, Namespace: listed.Namespace}
	for _, obj := range listed.Objects() {
		res.Items = append(res.Items, Clean(obj).Object)
	}
	return res, nil
}

// Clean returns a copy of obj without what the server and the controllers wrote: status, the
// server-set metadata, and kubectl's last-applied copy. Owner references go too: they name owners
// by uid, and an object applied elsewhere with them would be garbage-collected.
func Clean(obj *unstructured.Unstructured) *unstructured.Unstructured {
	out := obj.DeepCopy()
	delete(out.Object, "status")
	md, _ := out.Object["metadata"].(map[string]any)
	for _, f := range []string{"managedFields", "uid", "resourceVersion", "generation", "creationTimestamp",
		"selfLink", "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences"} {
		delete(md, f)
	}
	if ann := out.GetAnnotations(); ann != nil {
		delete(ann, LastAppliedAnnotation)
		if len(ann) == 0 {
			ann = nil
		}
		out.SetAnnotations(ann)
	}
	return out
}

// YAML renders the objects as one multi-document YAML stream, each document opened by ---.
func (r *Result) YAML() (string, error) {
	var b strings.Builder
	for _, item := range r.Items {
		y, err := yaml.Marshal(item)
		if err != nil {
			return "", err
		}
		b.WriteString("---\n")
		b.Write(y)
	}
	return b.String(), nil
}

// List wraps the objects in a v1 List, the shape kubectl prints for many objects.
func (r *Result) List() map[string]any {
	items := make([]any, len(r.Items))
	for i, item := range r.Items {
		items[i] = item
	}
	return map[string]any{"apiVersion": "v1", "kind": "List", "metadata": map[string]any{"resourceVersion": ""}, "items": items}
}

// EmptyMessage says that nothing was found.
func (r *Result) EmptyMessage() string {
	if r.Namespace == "" {
		return "No Flux objects found"
	}
	return "No Flux objects found in " + r.Namespace + " namespace."
}
