package kube

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	jsonpatch "gopkg.in/evanphx/json-patch.v4"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/yaml"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
)

// PatchOptions are the inputs of a patch of one object, as `kubectl patch`.
type PatchOptions struct {
	Kind      string
	Name      string
	Namespace string
	// Type is merge, json or strategic (strategic only for built-in kinds).
	Type string
	// Patch is the patch document, JSON or YAML.
	Patch   string
	DryRun  bool
	Context string
	Redact  Redactor

	clients   *cluster.Clients
	mapping   *meta.RESTMapping
	patchType types.PatchType
	body      []byte
}

// PatchResult is the object after the patch.
type PatchResult struct {
	Kind       string         `json:"kind"`
	APIVersion string         `json:"apiVersion"`
	Namespace  string         `json:"namespace,omitempty"`
	Name       string         `json:"name"`
	DryRun     bool           `json:"dryRun"`
	Changed    bool           `json:"changed" jsonschema:"False when the patch left the object as it was"`
	Object     map[string]any `json:"object" jsonschema:"The object after the patch, without managedFields"`
}

// Complete resolves the context, kind and namespace.
func (o *PatchOptions) Complete(c *cluster.Cache) error {
	var err error
	o.clients, o.mapping, err = resolveTarget(c, o.Context, o.Kind, &o.Namespace, false)
	return err
}

// Validate checks the name, the type and that the patch parses.
func (o *PatchOptions) Validate() error {
	if o.Name == "" {
		return fmt.Errorf("a name is required: patch changes one object")
	}
	switch strings.ToLower(o.Type) {
	case "", "merge":
		o.patchType = types.MergePatchType
	case "json":
		o.patchType = types.JSONPatchType
	case "strategic":
		// Custom resources have no patch strategy; the server says so (415) and Run explains it.
		o.patchType = types.StrategicMergePatchType
	default:
		return fmt.Errorf("unknown patch type %q: use merge, json or strategic", o.Type)
	}
	body, err := yaml.YAMLToJSON([]byte(o.Patch))
	if err != nil || strings.TrimSpace(o.Patch) == "" {
		return fmt.Errorf("the patch is not valid JSON or YAML: %w", err)
	}
	var v any
	_ = json.Unmarshal(body, &v)
	_, isList := v.([]any)
	_, isObject := v.(map[string]any)
	switch {
	case o.patchType == types.JSONPatchType && !isList:
		return fmt.Errorf(`a json patch is a list of operations, e.g. [{"op":"replace","path":"/spec/replicas","value":2}]`)
	case o.patchType != types.JSONPatchType && isList:
		return fmt.Errorf("a list of operations is a JSON patch: set type json")
	case o.patchType != types.JSONPatchType && !isObject:
		return fmt.Errorf(`a merge or strategic patch is an object, e.g. {"metadata":{"labels":{"a":"b"}}}`)
	}
	o.body = body
	return nil
}

// Run reads the object and patches it, so that the result can tell whether anything changed.
func (o *PatchOptions) Run(ctx context.Context) (*PatchResult, error) {
	ri := o.clients.Resource(o.mapping, o.Namespace)
	kind := o.mapping.GroupVersionKind.Kind
	before, err := ri.Get(ctx, o.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, notFound(ctx, ri, err, kind, o.Name, o.Namespace)
	}
	if err != nil {
		return nil, cluster.Explain(err)
	}
	opts := metav1.PatchOptions{FieldManager: FieldManager}
	if o.DryRun {
		opts.DryRun = []string{metav1.DryRunAll}
	}
	if o.patchType == types.JSONPatchType {
		// The API server answers a JSON patch that does not apply with a bare 422 ("the server
		// rejected our request due to an error in our request"); the same library applied here
		// to the object just read says which operation failed and why.
		if err := checkJSONPatch(before, o.body); err != nil {
			return nil, fmt.Errorf("the json patch does not apply to %s %s: %w", kind, o.Name, err)
		}
	}
	after, err := ri.Patch(ctx, o.Name, o.patchType, o.body, opts)
	if apierrors.IsUnsupportedMediaType(err) {
		return nil, fmt.Errorf("the server does not accept a %s patch for %s: use type merge or json", o.Type, kind)
	}
	if err != nil {
		return nil, cluster.Explain(err)
	}
	res := &PatchResult{Kind: kind, APIVersion: after.GetAPIVersion(), Namespace: o.Namespace, Name: o.Name, DryRun: o.DryRun,
		Changed: !sameContent(before, after)}
	o.Redact.apply(after)
	res.Object = compact(after)
	return res, nil
}

// checkJSONPatch applies a JSON patch to a copy of obj, as the API server will, and returns why it
// does not apply.
func checkJSONPatch(obj *unstructured.Unstructured, body []byte) error {
	p, err := jsonpatch.DecodePatch(body)
	if err != nil {
		return err
	}
	doc, err := obj.MarshalJSON()
	if err != nil {
		return nil // the server decides
	}
	_, err = p.Apply(doc)
	return err
}
