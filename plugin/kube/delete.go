package kube

import (
	"context"
	"errors"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
)

// DeleteOptions are the inputs of a delete of one object, as `kubectl delete KIND NAME`.
type DeleteOptions struct {
	Kind      string
	Name      string
	Namespace string
	DryRun    bool
	Context   string

	clients *cluster.Clients
	mapping *meta.RESTMapping
}

// DeleteResult says what was deleted, or would be with DryRun.
type DeleteResult struct {
	Kind       string `json:"kind"`
	APIVersion string `json:"apiVersion"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name"`
	DryRun     bool   `json:"dryRun"`
	// Pending is set when finalizers keep the object until their controllers are done.
	Pending []string `json:"pendingFinalizers,omitempty" jsonschema:"Finalizers that keep the object until their controllers release it"`
}

// Complete resolves the context, kind and namespace.
func (o *DeleteOptions) Complete(c *cluster.Cache) error {
	var err error
	o.clients, o.mapping, err = resolveTarget(c, o.Context, o.Kind, &o.Namespace, false)
	return err
}

// Validate requires a name: deleting by selector is not offered, so a model cannot wipe a namespace.
func (o *DeleteOptions) Validate() error {
	if o.Name == "" {
		return errors.New("a name is required: delete removes one object")
	}
	return nil
}

// Run deletes the object in the background (dependents are collected by the garbage collector).
func (o *DeleteOptions) Run(ctx context.Context) (*DeleteResult, error) {
	ri := o.clients.Resource(o.mapping, o.Namespace)
	kind := o.mapping.GroupVersionKind.Kind
	obj, err := ri.Get(ctx, o.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, notFound(ctx, ri, err, kind, o.Name, o.Namespace)
	}
	if err != nil {
		return nil, cluster.Explain(err)
	}
	policy := metav1.DeletePropagationBackground
	opts := metav1.DeleteOptions{PropagationPolicy: &policy, Preconditions: &metav1.Preconditions{UID: ptr(obj.GetUID())}}
	if o.DryRun {
		opts.DryRun = []string{metav1.DryRunAll}
	}
	err = ri.Delete(ctx, o.Name, opts)
	if apierrors.IsNotFound(err) {
		return nil, notFound(ctx, ri, err, kind, o.Name, o.Namespace)
	}
	if err != nil {
		return nil, cluster.Explain(err)
	}
	return &DeleteResult{Kind: kind, APIVersion: obj.GetAPIVersion(), Namespace: o.Namespace, Name: o.Name, DryRun: o.DryRun, Pending: obj.GetFinalizers()}, nil
}

func ptr[T any](v T) *T { return &v }
