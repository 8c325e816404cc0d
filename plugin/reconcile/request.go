package reconcile

import (
	"context"
	"encoding/json"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
)

// Annotations of a reconcile request. The reset annotation is helm-controller's own; it is spelt
// here rather than importing the helm-controller API for one constant.
const (
	RequestedAtAnnotation = meta.ReconcileRequestAnnotation
	ForceAtAnnotation     = meta.ForceRequestAnnotation
	ResetAtAnnotation     = "reconcile.fluxcd.io/resetAt"
)

// Now is the value of a reconcile request, in the format the flux CLI writes.
func Now() string { return time.Now().Format(time.RFC3339Nano) }

// Patch is a merge patch of an object's annotations and spec fields.
type Patch struct {
	// Annotations to set; an empty value is set as empty, not removed.
	Annotations map[string]string
	// Spec fields to set, merged into spec.
	Spec map[string]any
}

// RequestAnnotations are the annotations that ask for a reconcile at value, with force and reset
// as helm-controller reads them.
func RequestAnnotations(value string, force, reset bool) map[string]string {
	a := map[string]string{RequestedAtAnnotation: value}
	if force {
		a[ForceAtAnnotation] = value
	}
	if reset {
		a[ResetAtAnnotation] = value
	}
	return a
}

// Apply sends the patch as one JSON merge patch: it touches only the given keys, so it needs no
// read-modify-write and cannot conflict with a controller writing status meanwhile. It returns
// the object as stored, whose resourceVersion a wait starts from.
//
// Why there is no retry on conflict: the body carries no metadata.resourceVersion, so the server
// applies it to whatever version is current and never answers 409 Conflict. A retry loop (which
// the flux CLI needs for its get-modify-update) would have nothing to retry here.
func Apply(ctx context.Context, ri dynamic.ResourceInterface, name string, p Patch) (*unstructured.Unstructured, error) {
	body := map[string]any{}
	if len(p.Annotations) > 0 {
		body["metadata"] = map[string]any{"annotations": p.Annotations}
	}
	if len(p.Spec) > 0 {
		body["spec"] = p.Spec
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	obj, err := ri.Patch(ctx, name, types.MergePatchType, raw, metav1.PatchOptions{FieldManager: FieldManager})
	if err != nil {
		return nil, cluster.Explain(err)
	}
	return obj, nil
}

// FieldManager names this plugin in managedFields, as the flux CLI names itself "flux".
const FieldManager = "kubectl-flux-mcp"
