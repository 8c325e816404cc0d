package kube

import (
	"context"
	"fmt"
	"strings"
	"sync"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
)

// ApplyOptions are the inputs of a server-side apply of a manifest.
type ApplyOptions struct {
	// Manifest is one or more YAML (or JSON) documents.
	Manifest string
	// Namespace for namespaced objects that name none; "" means the context's namespace. When
	// given, objects that name another namespace are refused.
	Namespace string
	DryRun    bool
	// Overwrite applies objects that Flux manages too, and takes over fields other managers own.
	Overwrite bool
	Context   string
	Redact    Redactor

	clients  *cluster.Clients
	explicit bool
	docs     []document
}

// ApplyResult says what the apply did, or would do with DryRun.
type ApplyResult struct {
	DryRun bool        `json:"dryRun"`
	Items  []ApplyItem `json:"items"`
}

// ApplyItem is one applied object.
type ApplyItem struct {
	Kind       string         `json:"kind"`
	APIVersion string         `json:"apiVersion"`
	Namespace  string         `json:"namespace,omitempty"`
	Name       string         `json:"name"`
	Action     string         `json:"action" jsonschema:"created, configured or unchanged"`
	Object     map[string]any `json:"object,omitempty" jsonschema:"The object as the server returned it, without managedFields"`
}

// Complete parses the manifest and maps every document to its resource.
func (o *ApplyOptions) Complete(c *cluster.Cache) error {
	o.explicit = o.Namespace != ""
	cl, err := c.ForNamespace(o.Context, &o.Namespace, false)
	if err != nil {
		return err
	}
	o.clients = cl
	objs, err := ParseManifest(o.Manifest)
	if err != nil {
		return err
	}
	o.docs, err = resolveDocuments(cl, objs, o.Namespace, o.explicit)
	return err
}

// Validate has checked everything in Complete, where the kinds had to be resolved.
func (o *ApplyOptions) Validate() error { return nil }

// Run reads the live objects, refuses Flux-managed ones, dry-runs every document and only when
// all pass applies them: a bad document means nothing is applied.
func (o *ApplyOptions) Run(ctx context.Context) (*ApplyResult, error) {
	live, err := o.readLive(ctx)
	if err != nil {
		return nil, err
	}
	if !o.Overwrite {
		var managed []string
		for i, d := range o.docs {
			if owner := FluxOwner(live[i]); owner != "" {
				managed = append(managed, fmt.Sprintf("%s by %s", refOf(d.obj), owner))
			}
		}
		if len(managed) > 0 {
			return nil, fmt.Errorf("nothing was applied: managed by Flux, which would revert the change at its next reconciliation: %s; change the source in Git instead, or set overwrite to apply anyway", strings.Join(managed, ", "))
		}
	}
	created := map[string]bool{}
	for _, d := range o.docs {
		if d.obj.GetKind() == "Namespace" && d.obj.GroupVersionKind().Group == "" {
			created[d.obj.GetName()] = true
		}
	}
	results := make([]*unstructured.Unstructured, len(o.docs))
	var problems []string
	for i, d := range o.docs {
		out, err := o.apply(ctx, d, true)
		if apierrors.IsNotFound(err) && created[d.obj.GetNamespace()] && live[i] == nil {
			// Its namespace is created by this very manifest; it cannot be dry-run before.
			continue
		}
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", d, cluster.Explain(err)))
		}
		results[i] = out
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("nothing was applied: %s", strings.Join(problems, "; "))
	}
	if !o.DryRun {
		for i, d := range o.docs {
			out, err := o.apply(ctx, d, false)
			if err != nil {
				return nil, fmt.Errorf("%s failed after %d of %d documents were applied: %w", d, i, len(o.docs), cluster.Explain(err))
			}
			results[i] = out
		}
	}
	res := &ApplyResult{DryRun: o.DryRun, Items: make([]ApplyItem, 0, len(o.docs))}
	for i, d := range o.docs {
		r := refOf(d.obj)
		it := ApplyItem{Kind: r.Kind, APIVersion: r.APIVersion, Namespace: r.Namespace, Name: r.Name, Action: "configured"}
		switch {
		case live[i] == nil:
			it.Action = "created"
		case results[i] != nil && sameContent(live[i], results[i]):
			it.Action = "unchanged"
		}
		o.Redact.apply(results[i])
		it.Object = compact(results[i])
		res.Items = append(res.Items, it)
	}
	return res, nil
}

// readLive gets every object's current state at once (nil when it does not exist yet).
func (o *ApplyOptions) readLive(ctx context.Context) ([]*unstructured.Unstructured, error) {
	live := make([]*unstructured.Unstructured, len(o.docs))
	errs := make([]error, len(o.docs))
	var wg sync.WaitGroup
	for i, d := range o.docs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			obj, err := o.clients.Resource(d.mapping, d.obj.GetNamespace()).Get(ctx, d.obj.GetName(), metav1.GetOptions{})
			switch {
			case apierrors.IsNotFound(err):
			case err != nil:
				errs[i] = fmt.Errorf("nothing was applied: reading %s: %w", d, cluster.Explain(err))
			default:
				live[i] = obj
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return live, nil
}

func (o *ApplyOptions) apply(ctx context.Context, d document, dryRun bool) (*unstructured.Unstructured, error) {
	opts := metav1.ApplyOptions{FieldManager: FieldManager, Force: o.Overwrite}
	if dryRun {
		opts.DryRun = []string{metav1.DryRunAll}
	}
	return o.clients.Resource(d.mapping, d.obj.GetNamespace()).Apply(ctx, d.obj.GetName(), d.obj, opts)
}
