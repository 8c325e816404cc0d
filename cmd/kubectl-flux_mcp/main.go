// Command kubectl-flux_mcp is the kubectl plugin `kubectl flux-mcp`: Flux CD operations for people,
// and the same operations as a Model Context Protocol server for AI assistants.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"k8s.io/cli-runtime/pkg/genericiooptions"

	// Before the packages whose initialisation touches most of the binary: see its comment.
	_ "github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/residency"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/mcp"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cmd"
)

func main() {
	env := cmd.NewEnv(genericiooptions.IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr})
	root := cmd.NewRootCommand(env, mcp.NewServeCommand(env), mcp.NewMCPCommand(env))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := root.ExecuteContext(ctx)
	stop()
	if err != nil {
		// One line, as kubectl prints its errors.
		fmt.Fprintln(os.Stderr, "error: "+strings.Join(strings.Fields(err.Error()), " "))
		os.Exit(1)
	}
}
