package kube

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/util/jsonpath"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
)

// DefaultLimit is how many objects a get returns when no limit is given.
const DefaultLimit = 100

// GetOptions are the inputs of a get of any kind.
type GetOptions struct {
	// Kind in any form kubectl accepts: Deployment, deployments, deploy, deployments.apps.
	Kind          string
	Name          string
	Namespace     string
	AllNamespaces bool
	LabelSelector string
	FieldSelector string
	// Fields are JSONPath projections ({.status.phase} or .status.phase); with them each item
	// carries the projected values instead of the object.
	Fields []string
	// Limit caps the items of a list (DefaultLimit when 0); Continue resumes a truncated list.
	Limit    int64
	Continue string
	Context  string
	// Redact, when set, changes every object before it is projected or returned.
	Redact Redactor

	clients *cluster.Clients
	mapping *meta.RESTMapping
	paths   []*jsonpath.JSONPath
}

// GetResult is what a get found.
type GetResult struct {
	Kind       string    `json:"kind"`
	APIVersion string    `json:"apiVersion"`
	Namespace  string    `json:"namespace,omitempty" jsonschema:"The namespace listed; empty for all namespaces or a cluster-scoped kind"`
	Items      []GetItem `json:"items"`
	Fields     []string  `json:"fields,omitempty" jsonschema:"The JSONPath projections, in the order of each item's values"`
	Truncated  bool      `json:"truncated" jsonschema:"True when more objects match than were returned; call again with continue"`
	Continue   string    `json:"continue,omitempty" jsonschema:"Token that returns the next page when passed as continue"`
	Remaining  *int64    `json:"remainingItemCount,omitempty" jsonschema:"How many more objects match, when the server knows"`
	Notice     string    `json:"notice,omitempty"`
}

// GetItem is one object, or its projected values when fields were asked for.
type GetItem struct {
	Namespace         string         `json:"namespace,omitempty"`
	Name              string         `json:"name"`
	CreationTimestamp string         `json:"creationTimestamp,omitempty"`
	Values            []any          `json:"values,omitempty" jsonschema:"One value per field: the match, a list when the path matched several, null when none"`
	Object            map[string]any `json:"object,omitempty" jsonschema:"The whole object (without managedFields) when no fields were asked for"`
}

// Complete resolves the context, the kind and the default namespace.
func (o *GetOptions) Complete(c *cluster.Cache) error {
	var err error
	if o.clients, o.mapping, err = resolveTarget(c, o.Context, o.Kind, &o.Namespace, o.AllNamespaces); err != nil {
		return err
	}
	if o.Limit == 0 {
		o.Limit = DefaultLimit
	}
	return nil
}

// Validate checks selectors, projections and paging before any request.
func (o *GetOptions) Validate() error {
	if o.Name != "" && o.AllNamespaces && namespaced(o.mapping) {
		return errors.New("an object cannot be retrieved by name across all namespaces: give a namespace instead")
	}
	if o.Name != "" && (o.LabelSelector != "" || o.FieldSelector != "" || o.Continue != "") {
		return errors.New("name cannot be combined with label_selector, field_selector or continue")
	}
	if o.Limit < 0 {
		return fmt.Errorf("invalid limit %d: give a positive number", o.Limit)
	}
	if _, err := labels.Parse(o.LabelSelector); err != nil {
		return fmt.Errorf("invalid label selector %q: %w", o.LabelSelector, err)
	}
	if _, err := fields.ParseSelector(o.FieldSelector); err != nil {
		return fmt.Errorf("invalid field selector %q: %w", o.FieldSelector, err)
	}
	o.paths = nil
	for _, f := range o.Fields {
		p, err := ParseJSONPath(f)
		if err != nil {
			return err
		}
		o.paths = append(o.paths, p)
	}
	return nil
}

// ParseJSONPath parses a kubectl JSONPath, with or without its braces.
func ParseJSONPath(f string) (*jsonpath.JSONPath, error) {
	expr := strings.TrimSpace(f)
	if !strings.HasPrefix(expr, "{") {
		expr = "{" + expr + "}"
	}
	p := jsonpath.New(f).AllowMissingKeys(true)
	if err := p.Parse(expr); err != nil {
		return nil, fmt.Errorf("invalid JSONPath %q: %w (write e.g. .status.phase or {.metadata.labels.app})", f, err)
	}
	return p, nil
}

// Run reads one object by name, or one page of a list.
func (o *GetOptions) Run(ctx context.Context) (*GetResult, error) {
	gvk := o.mapping.GroupVersionKind
	res := &GetResult{Kind: gvk.Kind, APIVersion: gvk.GroupVersion().String(), Namespace: o.Namespace, Fields: o.Fields, Items: []GetItem{}}
	ri := o.clients.Resource(o.mapping, o.Namespace)
	var objs []unstructured.Unstructured
	if o.Name != "" {
		obj, err := ri.Get(ctx, o.Name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return nil, notFound(ctx, ri, err, gvk.Kind, o.Name, o.Namespace)
		}
		if err != nil {
			return nil, cluster.Explain(err)
		}
		objs = []unstructured.Unstructured{*obj}
	} else {
		list, err := ri.List(ctx, metav1.ListOptions{LabelSelector: o.LabelSelector, FieldSelector: o.FieldSelector, Limit: o.Limit, Continue: o.Continue})
		if apierrors.IsResourceExpired(err) {
			return nil, errors.New("the continue token has expired: list again without continue")
		}
		if err != nil {
			return nil, cluster.Explain(err)
		}
		objs = list.Items
		if c := list.GetContinue(); c != "" {
			res.Truncated, res.Continue, res.Remaining = true, c, list.GetRemainingItemCount()
			res.Notice = fmt.Sprintf("truncated: showing %d objects (limit %d); more match. Pass continue=%q for the next page, or narrow with selectors", len(objs), o.Limit, c)
			if res.Remaining != nil {
				res.Notice = fmt.Sprintf("truncated: showing %d objects (limit %d); %d more match. Pass continue=%q for the next page, or narrow with selectors", len(objs), o.Limit, *res.Remaining, c)
			}
		}
	}
	for i := range objs {
		obj := &objs[i]
		o.Redact.apply(obj)
		it := GetItem{Namespace: obj.GetNamespace(), Name: obj.GetName()}
		if ts := obj.GetCreationTimestamp(); !ts.IsZero() {
			it.CreationTimestamp = ts.UTC().Format("2006-01-02T15:04:05Z")
		}
		if len(o.paths) == 0 {
			it.Object = compact(obj)
		} else {
			it.Values = Project(o.paths, obj.Object)
		}
		res.Items = append(res.Items, it)
	}
	return res, nil
}

// Project evaluates each path on an object: one value, a list for several matches, nil for none.
// Exported for the fuzz targets in internal/parsefuzz.
func Project(paths []*jsonpath.JSONPath, obj map[string]any) []any {
	out := make([]any, 0, len(paths))
	for _, p := range paths {
		results, err := p.FindResults(obj)
		if err != nil {
			// A path that does not fit this object (an index past the end, a filter on a
			// non-list) has no value here rather than failing the whole list.
			out = append(out, nil)
			continue
		}
		var vals []any
		for _, r := range results {
			for _, v := range r {
				vals = append(vals, plain(v))
			}
		}
		switch len(vals) {
		case 0:
			out = append(out, nil)
		case 1:
			out = append(out, vals[0])
		default:
			out = append(out, vals)
		}
	}
	return out
}

func plain(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	if v.Kind() == reflect.Interface && v.IsNil() {
		return nil
	}
	return v.Interface()
}

// notFound names the objects of the kind that do exist, with one list through ri.
func notFound(ctx context.Context, ri cluster.Lister, err error, kind, name, ns string) error {
	return cluster.NotFound(ctx, ri, err, kind, ns, name)
}
