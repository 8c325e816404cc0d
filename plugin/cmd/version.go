package cmd

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
	"k8s.io/kubectl/pkg/util/templates"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fleet"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/output"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/version"
)

// NewVersionCommand is the cobra face of the version operation.
func NewVersionCommand(env *Env) *cobra.Command {
	o := &version.Options{}
	out := output.NewDataFlags()
	var fl *fleet.Options
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the plugin, Kubernetes and Flux versions",
		Long: templates.LongDesc(`
			Print the plugin version and, when the cluster answers, the Kubernetes server version and
			the installed Flux version. With --contexts or --all-contexts, the versions of each
			context, read concurrently.`),
		Example: templates.Examples(`
			# The Kubernetes and Flux versions of every cluster in the kubeconfig
			kubectl flux-mcp version --all-contexts`),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := out.Validate(); err != nil {
				return err
			}
			if fl.Enabled() {
				if o.ClientOnly {
					return errors.New("--client reads no cluster: give it without --contexts/--all-contexts")
				}
				return runRead(cmd, env, fl, func(ctx string) operation.Operation[*version.Result] {
					c := *o
					c.Context = ctx
					return &c
				}, dataPrinter(env, out), func(res *version.Result) error {
					_, err := fmt.Fprint(env.Streams.Out, res.String())
					return err
				})
			}
			// Not operation.Execute: the versions found are printed even when a later step fails.
			if err := operation.CheckNamespaces(o); err != nil {
				return err
			}
			if err := o.Complete(env.Clients); err != nil {
				return err
			}
			res, runErr := o.Run(cmd.Context())
			if out.IsTable() {
				fmt.Fprint(env.Streams.Out, res.String())
			} else if err := out.PrintData(env.Streams.Out, res); err != nil {
				return err
			}
			return runErr
		},
	}
	fl = addFleetFlags(cmd)
	cmd.Flags().BoolVar(&o.ClientOnly, "client", false, "Print only the plugin version, without contacting the cluster.")
	cmd.Flags().StringVar(&o.FluxNamespace, "flux-namespace", "flux-system", "Namespace where Flux is installed.")
	out.AddFlags(cmd)
	return cmd
}
