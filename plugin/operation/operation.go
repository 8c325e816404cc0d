// Package operation states the shape every operation has, so that the cobra face and the MCP face
// drive them the same way: fill the Options, Complete against the cluster, Validate, Run.
package operation

import (
	"context"
	"reflect"
	"strings"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
)

// Operation is an operation's Options: plain inputs that Complete resolves, Validate checks and Run
// carries out, returning a typed result.
type Operation[R any] interface {
	Complete(*cluster.Cache) error
	Validate() error
	Run(context.Context) (R, error)
}

// Execute completes, validates and runs an operation. Nothing is sent to the cluster before
// Validate has accepted the inputs (Complete may read discovery and the kubeconfig), and nothing
// at all before the namespaces the caller named are known to be valid names.
func Execute[R any](ctx context.Context, c *cluster.Cache, op Operation[R]) (R, error) {
	var zero R
	if err := CheckNamespaces(op); err != nil {
		return zero, err
	}
	if err := op.Complete(c); err != nil {
		return zero, err
	}
	if err := op.Validate(); err != nil {
		return zero, err
	}
	return op.Run(ctx)
}

// CheckNamespaces rejects an invalid namespace name in any string field of the Options whose name
// ends in "Namespace" (Namespace, FluxNamespace…), also in embedded structs. It is done here, once,
// rather than in each operation's Validate, so that no operation can forget it: the API server
// answers a list in a namespace that cannot exist with an empty list, and a get or a patch with a
// "not found" that hides the typo. The namespace of the kubeconfig context is checked when the
// clients are built (cluster.CheckNamespace).
func CheckNamespaces(op any) error { return checkNamespaces(reflect.ValueOf(op)) }

func checkNamespaces(v reflect.Value) error {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil
	}
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		switch {
		case f.Anonymous:
			if err := checkNamespaces(v.Field(i)); err != nil {
				return err
			}
		case f.Type.Kind() == reflect.String && strings.HasSuffix(f.Name, "Namespace"):
			if err := cluster.CheckNamespace(v.Field(i).String()); err != nil {
				return err
			}
		}
	}
	return nil
}
