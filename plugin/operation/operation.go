// Package operation states the shape every operation has, so that the cobra face and the MCP face
// drive them the same way: fill the Options, Complete against the cluster, Validate, Run.
package operation

import (
	"context"

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
// Validate has accepted the inputs (Complete may read discovery and the kubeconfig).
func Execute[R any](ctx context.Context, c *cluster.Cache, op Operation[R]) (R, error) {
	var zero R
	if err := op.Complete(c); err != nil {
		return zero, err
	}
	if err := op.Validate(); err != nil {
		return zero, err
	}
	return op.Run(ctx)
}
