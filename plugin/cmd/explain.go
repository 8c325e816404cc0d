package cmd

import (
	"fmt"

	"github.com/spf13/cobra"
	"k8s.io/kubectl/pkg/util/templates"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/explain"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/output"
)

// NewExplainCommand is the cobra face of the explain operation.
func NewExplainCommand(env *Env) *cobra.Command {
	o := &explain.Options{}
	out := output.NewDataFlags()
	cmd := &cobra.Command{
		Use:                   "explain KIND[.FIELD...] [--recursive] [--api-version VERSION] [-o json|yaml]",
		DisableFlagsInUseLine: true,
		Short:                 "Document the fields of a Flux kind",
		Long: templates.LongDesc(`
			Describe a Flux kind or one of its fields, as kubectl explain does, from the schema the
			cluster serves for the installed Flux CRDs. KIND may be a short name (ks, hr, gitrepo…).
			It takes no --contexts or --all-contexts: a schema is documentation of a Flux version, not
			state, so reading one cluster's is enough (use --context to pick which).`),
		Example: templates.Examples(`
			# The variable substitution of a Kustomization
			kubectl flux-mcp explain ks.spec.postBuild

			# Every field of a HelmRelease chart template
			kubectl flux-mcp explain hr.spec.chart --recursive

			# The same text with the kind, version and field it documents, as JSON
			kubectl flux-mcp explain ks.spec.interval -o json`),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("one KIND[.FIELD...] argument is required, e.g. %q", "kubectl flux-mcp explain ks.spec.postBuild")
			}
			if err := out.Validate(); err != nil {
				return err
			}
			o.Path = args[0]
			res, err := operation.Execute(cmd.Context(), env.Clients, o)
			if err != nil {
				return err
			}
			if !out.IsTable() {
				return out.PrintData(env.Streams.Out, res)
			}
			_, err = fmt.Fprint(env.Streams.Out, res.Text)
			return err
		},
	}
	cmd.Flags().BoolVarP(&o.Recursive, "recursive", "R", false, "Print the fields of fields.")
	cmd.Flags().StringVar(&o.APIVersion, "api-version", "", "A served version other than the preferred one, e.g. v1beta2 or GROUP/v1beta2.")
	out.AddFlags(cmd)
	return cmd
}
