package cmd

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
	"k8s.io/kubectl/pkg/util/templates"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fleet"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/logs"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/output"
)

var (
	logsLong = templates.LongDesc(`
		Print the logs of the Flux controllers, as TIME LEVEL CONTROLLER KIND/NAMESPACE/NAME MESSAGE.

		The controller Pods are found in the Flux namespace by the label
		app.kubernetes.io/part-of=flux or by their app label. Their JSON log lines are filtered
		by the object they are about (--kind, --name, -n), by level and by age. Lines that are
		not JSON (a stack trace) are shown only when no filter is given.`)

	logsExample = templates.Examples(`
		# Errors of the last hour
		kubectl flux-mcp logs --level error --since 1h

		# What kustomize-controller says about one Kustomization, as it happens
		kubectl flux-mcp logs --kind ks --name apps -n flux-system -f`)
)

// NewLogsCommand is the cobra face of the logs operation.
func NewLogsCommand(env *Env) *cobra.Command {
	o := &logs.Options{}
	out := output.NewDataFlags()
	var fl *fleet.Options
	cmd := &cobra.Command{
		Use:                   "logs [--kind KIND] [--name NAME] [-n NAMESPACE] [--level info|error|debug] [--since DURATION] [--tail N] [-f]",
		DisableFlagsInUseLine: true,
		Short:                 "Print the Flux controller logs about your objects",
		Long:                  logsLong,
		Example:               logsExample,
		Args:                  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := out.Validate(); err != nil {
				return err
			}
			if o.Follow && !out.IsTable() {
				return fmt.Errorf("-f prints lines as they come and cannot be combined with -o %s", out.Format())
			}
			// -n filters on the objects' namespace only when given: controllers log about every namespace.
			if env.Flags.Namespace != nil {
				o.Namespace = *env.Flags.Namespace
			}
			if o.Follow {
				// A closed stdout (piped into head) ends the command through the context, not here.
				o.OnLine = func(l logs.Line) { _, _ = fmt.Fprintln(env.Streams.Out, l.String()) }
			}
			if o.Follow {
				if fl.Enabled() {
					return errors.New("-f follows one context: it cannot be combined with --contexts or --all-contexts")
				}
				_, err := operation.Execute(cmd.Context(), env.Clients, o)
				return err
			}
			return runRead(cmd, env, fl, func(ctx string) operation.Operation[*logs.Result] {
				c := *o
				c.Context = ctx
				return &c
			}, dataPrinter(env, out), func(res *logs.Result) error {
				for _, l := range res.Lines {
					if _, err := fmt.Fprintln(env.Streams.Out, l.String()); err != nil {
						return err
					}
				}
				if len(res.Lines) == 0 {
					_, err := fmt.Fprintln(env.Streams.ErrOut, "No matching log lines.")
					return err
				}
				return nil
			})
		},
	}
	fl = addFleetFlags(cmd)
	f := cmd.Flags()
	f.StringVar(&o.FluxNamespace, "flux-namespace", "flux-system", "Namespace where the Flux controllers run.")
	f.StringVar(&o.Kind, "kind", "", "Keep lines about this Flux kind (ks, hr, gitrepo…).")
	f.StringVar(&o.Name, "name", "", "Keep lines about objects of this name.")
	f.StringVar(&o.Level, "level", "", "Keep lines of this level: info, error or debug.")
	f.StringVar(&o.Since, "since", "", "Keep lines newer than this duration, e.g. 5m or 1h.")
	f.Int64Var(&o.Tail, "tail", 0, "Lines to read from the end of each controller's log (0 reads all).")
	f.BoolVarP(&o.Follow, "follow", "f", false, "Stream new lines until interrupted.")
	_ = cmd.RegisterFlagCompletionFunc("level", cobra.FixedCompletions([]string{"info", "error", "debug"}, cobra.ShellCompDirectiveNoFileComp))
	out.AddFlags(cmd)
	return cmd
}
