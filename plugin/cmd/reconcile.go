package cmd

import (
	"fmt"

	"github.com/spf13/cobra"
	"k8s.io/kubectl/pkg/util/templates"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/output"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/progress"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/reconcile"
)

var (
	reconcileLong = templates.LongDesc(`
		Ask Flux to reconcile objects now, and wait until their controller has done so.

		The object is annotated with reconcile.fluxcd.io/requestedAt; the command then watches it
		until the controller records that request as handled for the current generation, and
		reports Ready, the controller's message, the revision and how long it took. It exits
		non-zero when a reconciliation fails or times out. Suspended objects are refused. The
		annotation is sent as a JSON merge patch without a resourceVersion, so it cannot conflict
		with a controller writing the object at the same moment and needs no retry.

		With --with-source the source is reconciled first and its new artifact awaited (for a
		HelmRelease: its HelmChart and the chart's repository, or its OCIRepository).`)

	reconcileExample = templates.Examples(`
		# Reconcile a Kustomization and wait for it
		kubectl flux-mcp reconcile ks apps -n flux-system

		# Fetch the Git revision first, then apply it
		kubectl flux-mcp reconcile kustomization apps --with-source

		# Force a Helm upgrade and reset the failure counters
		kubectl flux-mcp reconcile hr podinfo -n apps --force --reset

		# Every HelmRelease of a team, without waiting
		kubectl flux-mcp reconcile hr -l team=payments --no-wait`)
)

// NewReconcileCommand is the cobra face of the reconcile operation.
func NewReconcileCommand(env *Env) *cobra.Command {
	o := &reconcile.Options{}
	out := output.NewDataFlags()
	cmd := &cobra.Command{
		Use:                   "reconcile KIND [NAME...] [--all | -l SELECTOR] [--with-source] [--force] [--reset] [--timeout DURATION] [--no-wait] [-o json|yaml]",
		DisableFlagsInUseLine: true,
		Short:                 "Reconcile Flux objects now and wait for the result",
		Long:                  reconcileLong,
		Example:               reconcileExample,
		ValidArgsFunction:     completeKindAndNames(env, reconcilableKinds, 0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return fmt.Errorf("a kind is required, e.g. %q", "kubectl flux-mcp reconcile ks apps")
			}
			return runSelection(cmd, env, out, args, &o.Kind, &o.Selection, &o.Reporter, o)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.All, "all", false, "Reconcile every object of the kind in the namespace.")
	f.StringVarP(&o.LabelSelector, "selector", "l", "", "Reconcile the objects matching this label selector, e.g. -l team=payments.")
	f.BoolVar(&o.WithSource, "with-source", false, "Reconcile the source first and wait for its new artifact.")
	f.BoolVar(&o.Force, "force", false, "HelmRelease: force a one-off install or upgrade (reconcile.fluxcd.io/forceAt).")
	f.BoolVar(&o.Reset, "reset", false, "HelmRelease: reset the failure counters (reconcile.fluxcd.io/resetAt).")
	f.DurationVar(&o.Timeout, "timeout", reconcile.DefaultTimeout, "How long to wait for each reconciliation.")
	f.BoolVar(&o.NoWait, "no-wait", false, "Only request the reconciliation; do not wait for it.")
	out.AddFlags(cmd)
	return cmd
}

// runSelection is the body that reconcile, suspend and resume share: the selection from the
// arguments, terminal progress on stderr while the operation runs, the result on stdout.
func runSelection(cmd *cobra.Command, env *Env, out *output.Flags, args []string, kind *string, sel *reconcile.Selection,
	reporter *progress.Reporter, op operation.Operation[*reconcile.Result]) error {
	*kind, sel.Names = args[0], args[1:]
	if err := out.Validate(); err != nil {
		return err
	}
	rep := progress.NewTerminal(env.Streams.ErrOut)
	*reporter = rep
	res, err := operation.Execute(cmd.Context(), env.Clients, op)
	rep.Stop()
	if err != nil {
		return err
	}
	return printResult(env, out, res, sel.Bulk(), *kind)
}

// printResult prints the outcome of a reconcile, suspend or resume on stdout, then returns the
// error the command exits with when an object failed.
func printResult(env *Env, out *output.Flags, res *reconcile.Result, bulk bool, kind string) error {
	w := env.Streams.Out
	if !out.IsTable() {
		if err := out.PrintData(w, res); err != nil {
			return err
		}
		return res.Err()
	}
	if len(res.Items) == 0 {
		// Name the kind as Flux does, not as typed (ks).
		if k, err := fluxkinds.Lookup(kind); err == nil {
			kind = k.Kind
		}
		_, err := fmt.Fprintf(env.Streams.ErrOut, "No %s objects found in %s namespace.\n", kind, res.Namespace)
		return err
	}
	if err := res.Table().Print(w, false, true); err != nil {
		return err
	}
	if bulk {
		fmt.Fprintln(w, res.SummaryLine())
	}
	return res.Err()
}
