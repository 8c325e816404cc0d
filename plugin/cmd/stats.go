package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"k8s.io/kubectl/pkg/util/templates"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fleet"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/output"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/stats"
)

// NewStatsCommand is the cobra face of the stats operation.
func NewStatsCommand(env *Env) *cobra.Command {
	o := &stats.Options{}
	out := output.NewDataFlags()
	var fl *fleet.Options
	cmd := &cobra.Command{
		Use:                   "stats [-A | -n NAMESPACE] [-o json|yaml]",
		DisableFlagsInUseLine: true,
		Short:                 "Count Flux objects per kind: ready, failing, suspended, storage",
		Long: templates.LongDesc(`
			Count the Flux objects of every installed kind: in total, ready, failing (Ready=False)
			and suspended, with the artifact storage the sources use (sum of status.artifact.size).`),
		Example: templates.Examples(`
			# Across the cluster
			kubectl flux-mcp stats -A`),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := out.Validate(); err != nil {
				return err
			}
			return runRead(cmd, env, fl, func(ctx string) operation.Operation[*stats.Result] {
				c := *o
				c.Context = ctx
				return &c
			}, dataPrinter(env, out), func(res *stats.Result) error {
				if err := res.Table().Print(env.Streams.Out, false, true); err != nil {
					return err
				}
				if len(res.NotInstalled) > 0 {
					_, err := fmt.Fprintf(env.Streams.ErrOut, "Not installed: %s\n", strings.Join(res.NotInstalled, ", "))
					return err
				}
				return nil
			})
		},
	}
	fl = addFleetFlags(cmd)
	cmd.Flags().BoolVarP(&o.AllNamespaces, "all-namespaces", "A", false, "Count across all namespaces.")
	out.AddFlags(cmd)
	return cmd
}
