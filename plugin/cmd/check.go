package cmd

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
	"k8s.io/kubectl/pkg/util/templates"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/check"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fleet"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/output"
)

// NewCheckCommand is the cobra face of the check operation. It exits non-zero when a check fails.
func NewCheckCommand(env *Env) *cobra.Command {
	o := &check.Options{}
	out := output.NewDataFlags()
	var fl *fleet.Options
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
			build := func(ctx string) operation.Operation[*check.Result] {
				c := *o
				c.Context = ctx
				return &c
			}
			if !out.IsTable() {
				// The data is printed whole; failed checks still fail the command.
				var failed []error
				err := runRead(cmd, env, fl, build, func(v any) error {
					if err := out.PrintData(env.Streams.Out, v); err != nil {
						return err
					}
					switch r := v.(type) {
					case *check.Result:
						if r.Failed > 0 {
							failed = append(failed, errors.New(r.Summary()))
						}
					case *fleet.Result[*check.Result]:
						for _, a := range r.Contexts {
							if a.Error == "" && a.Result.Failed > 0 {
								failed = append(failed, fmt.Errorf("context %s: %s", a.Context, a.Result.Summary()))
							}
						}
					}
					return nil
				}, nil)
				return errors.Join(append([]error{err}, failed...)...)
			}
			return runRead(cmd, env, fl, build, nil, func(res *check.Result) error {
				if err := res.Table().Print(env.Streams.Out, false, true); err != nil {
					return err
				}
				if res.Failed > 0 {
					return errors.New(res.Summary())
				}
				_, err := fmt.Fprintln(env.Streams.Out, res.Summary())
				return err
			})
		},
	}
	fl = addFleetFlags(cmd)
	cmd.Flags().StringVar(&o.FluxNamespace, "flux-namespace", "flux-system", "Namespace where the Flux controllers run.")
	out.AddFlags(cmd)
	return cmd
}
