package cmd

import (
	"fmt"

	"github.com/spf13/cobra"
	"k8s.io/kubectl/pkg/util/templates"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/output"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/version"
)

// NewVersionCommand is the cobra face of the version operation.
func NewVersionCommand(env *Env) *cobra.Command {
	o := &version.Options{}
	out := output.NewDataFlags()
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the plugin, Kubernetes and Flux versions",
		Long: templates.LongDesc(`
			Print the plugin version and, when the cluster answers, the Kubernetes server version and
			the installed Flux version.`),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := out.Validate(); err != nil {
				return err
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
	cmd.Flags().BoolVar(&o.ClientOnly, "client", false, "Print only the plugin version, without contacting the cluster.")
	cmd.Flags().StringVar(&o.FluxNamespace, "flux-namespace", "flux-system", "Namespace where Flux is installed.")
	out.AddFlags(cmd)
	return cmd
}
