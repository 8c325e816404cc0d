package cmd

import (
	"fmt"

	"github.com/spf13/cobra"
	"k8s.io/kubectl/pkg/util/templates"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/explain"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

// NewExplainCommand is the cobra face of the explain operation.
func NewExplainCommand(env *Env) *cobra.Command {
	o := &explain.Options{}
	cmd := &cobra.Command{
		Use:                   "explain KIND[.FIELD...] [--recursive] [--api-version VERSION]",
		DisableFlagsInUseLine: true,
		Short:                 "Document the fields of a Flux kind",
		Long: templates.LongDesc(`
			Describe a Flux kind or one of its fields, as kubectl explain does, from the schema the
			cluster serves for the installed Flux CRDs. KIND may be a short name (ks, hr, gitrepo…).`),
		Example: templates.Examples(`
			# The variable substitution of a Kustomization
			kubectl flux-mcp explain ks.spec.postBuild

			# Every field of a HelmRelease chart template
			kubectl flux-mcp explain hr.spec.chart --recursive`),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("one KIND[.FIELD...] argument is required, e.g. %q", "kubectl flux-mcp explain ks.spec.postBuild")
			}
			o.Path = args[0]
			res, err := operation.Execute(cmd.Context(), env.Clients, o)
			if err != nil {
				return err
			}
			_, err = fmt.Fprint(env.Streams.Out, res.Text)
			return err
		},
	}
	cmd.Flags().BoolVarP(&o.Recursive, "recursive", "R", false, "Print the fields of fields.")
	cmd.Flags().StringVar(&o.APIVersion, "api-version", "", "A served version other than the preferred one, e.g. v1beta2 or GROUP/v1beta2.")
	return cmd
}
