package cmd

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fleet"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/output"
)

// addFleetFlags gives a read command --all-contexts, --contexts and --context-timeout.
func addFleetFlags(cmd *cobra.Command) *fleet.Options {
	f := &fleet.Options{}
	cmd.Flags().BoolVar(&f.All, "all-contexts", false, "Query every context of the kubeconfig, concurrently.")
	cmd.Flags().StringSliceVar(&f.Contexts, "contexts", nil, "Query these kubeconfig contexts, concurrently, e.g. --contexts prod,staging.")
	cmd.Flags().DurationVar(&f.Timeout, "context-timeout", fleet.DefaultTimeout, "With --contexts or --all-contexts: how long to wait for each context.")
	return f
}

// checkFleet rejects --context together with --contexts/--all-contexts: which one was meant?
func checkFleet(env *Env, f *fleet.Options) error {
	if ctx := env.Clients.Flags().Context; f.Enabled() && ctx != nil && *ctx != "" {
		return errors.New("give either --context or --contexts/--all-contexts, not both")
	}
	return nil
}

// dataPrinter prints a whole fleet result for -o json|yaml, or is nil for the human format.
func dataPrinter(env *Env, out *output.Flags) func(any) error {
	if out.IsTable() {
		return nil
	}
	return func(v any) error { return out.PrintData(env.Streams.Out, v) }
}

// runRead runs a read operation in the current context and prints it with print; with
// --contexts/--all-contexts it runs it in each context concurrently and prints each answer under a
// "== context NAME" line (or the whole result through data, for -o json|yaml), and the contexts
// that gave no answer on stderr, one line each. A context that fails does not fail the command:
// the others still answered.
func runRead[R any](cmd *cobra.Command, env *Env, f *fleet.Options, build func(context string) operation.Operation[R],
	data func(any) error, print func(R) error) error {
	if !f.Enabled() {
		res, err := operation.Execute(cmd.Context(), env.Clients, build(""))
		if err != nil {
			return err
		}
		if data != nil {
			return data(res)
		}
		return print(res)
	}
	if err := checkFleet(env, f); err != nil {
		return err
	}
	res, err := operation.Execute(cmd.Context(), env.Clients, &fleet.Op[R]{Options: *f, New: build})
	if err != nil {
		return err
	}
	if data != nil {
		return data(res)
	}
	var failed []error
	first := true
	for _, a := range res.Contexts {
		if a.Error != "" {
			continue
		}
		if !first {
			fmt.Fprintln(env.Streams.Out)
		}
		first = false
		fmt.Fprintf(env.Streams.Out, "== context %s\n", a.Context)
		// A result that is itself a failure (check) is reported per context, after the others printed.
		if err := print(a.Result); err != nil {
			failed = append(failed, fmt.Errorf("context %s: %w", a.Context, err))
		}
	}
	fmt.Fprint(env.Streams.ErrOut, res.Failed())
	return errors.Join(failed...)
}
