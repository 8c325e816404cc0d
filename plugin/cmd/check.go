package cmd

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
	"k8s.io/kubectl/pkg/util/templates"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/check"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/output"
)

// NewCheckCommand is the cobra face of the check operation. It exits non-zero when a check fails.
func NewCheckCommand(env *Env) *cobra.Command {
	o := &check.Options{}
	out := output.NewDataFlags()
	cmd := &cobra.Command{
		Use:                   "check [--flux-namespace NAMESPACE] [-o json|yaml]",
		DisableFlagsInUseLine: true,
		Short:                 "Check the Flux installation",
		Long: templates.LongDesc(`
			Check the Flux installation: the Kubernetes version (Flux 2.9 needs ` + check.MinKubernetes + ` or
			newer), the Flux CRDs with their served and storage versions, the controller Deployments
			with their image versions and readiness, and the Flux Operator's FluxInstance and
			FluxReport when present. Each check is ok, warn or fail; the command fails when any
			check fails.`),
		Example: templates.Examples(`
			# Check the installation in flux-system
			kubectl flux-mcp check`),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := out.Validate(); err != nil {
				return err
			}
			res, err := operation.Execute(cmd.Context(), env.Clients, o)
			if err != nil {
				return err
			}
			if !out.IsTable() {
				err = out.PrintData(env.Streams.Out, res)
			} else {
				err = res.Table().Print(env.Streams.Out, false, true)
			}
			if err != nil {
				return err
			}
			if res.Failed > 0 {
				return errors.New(res.Summary())
			}
			if out.IsTable() {
				_, err = fmt.Fprintln(env.Streams.Out, res.Summary())
			}
			return err
		},
	}
	cmd.Flags().StringVar(&o.FluxNamespace, "flux-namespace", "flux-system", "Namespace where the Flux controllers run.")
	out.AddFlags(cmd)
	return cmd
}
