package testcluster

import (
	"context"
	"testing"
	"time"

	"k8s.io/cli-runtime/pkg/genericclioptions"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

// Cache is the plugin's client cache over a kubeconfig, as the CLI builds it from its flags.
func Cache(kubeconfig string) *cluster.Cache {
	flags := genericclioptions.NewConfigFlags(false)
	flags.KubeConfig = &kubeconfig
	return cluster.NewCache(flags)
}

// Run executes an operation as both faces do, bounded so that a hung call fails the test.
func Run[R any](t testing.TB, cache *cluster.Cache, op operation.Operation[R]) (R, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return operation.Execute(ctx, cache, op)
}
