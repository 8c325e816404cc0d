package cmd

import (
	"fmt"

	"github.com/spf13/cobra"
	"k8s.io/kubectl/pkg/util/templates"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/export"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fleet"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/output"
)

// NewExportCommand is the cobra face of the export operation.
func NewExportCommand(env *Env) *cobra.Command {
	o := &export.Options{}
	out := output.NewDataFlags()
	var fl *fleet.Options
	cmd := &cobra.Command{
		Use:                   "export KIND [NAME...] [--all] [-A | -n NAMESPACE] [-o yaml|json]",
		DisableFlagsInUseLine: true,
		Short:                 "Export Flux objects as clean YAML",
		Long: templates.LongDesc(`
			Print Flux objects as multi-document YAML without what the cluster added (status,
			managedFields, uid, resourceVersion, generation, creationTimestamp and kubectl's
			last-applied annotation), ready to be applied elsewhere. KIND may be "all".

			YAML is the default; -o json prints one named object as itself and anything else as a
			v1 List, as kubectl does.`),
		Example: templates.Examples(`
			# Every Kustomization of a namespace
			kubectl flux-mcp export ks --all -n flux-system

			# Every Flux object of the cluster
			kubectl flux-mcp export all --all -A > flux-backup.yaml

			# One HelmRelease as JSON
			kubectl flux-mcp export hr podinfo -n apps -o json`),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return fmt.Errorf("a kind is required, e.g. %q", "kubectl flux-mcp export ks --all")
			}
			if err := out.Validate(); err != nil {
				return err
			}
			o.Kind, o.Names = args[0], args[1:]
			return runRead(cmd, env, fl, func(ctx string) operation.Operation[*export.Result] {
				c := *o
				c.Context = ctx
				return &c
			}, exportJSON(env, out, len(o.Names) == 1), func(res *export.Result) error {
				if len(res.Items) == 0 {
					_, err := fmt.Fprintln(env.Streams.ErrOut, res.EmptyMessage())
					return err
				}
				text, err := res.YAML()
				if err != nil {
					return err
				}
				_, err = fmt.Fprint(env.Streams.Out, text)
				return err
			})
		},
	}
	fl = addFleetFlags(cmd)
	cmd.Flags().BoolVar(&o.All, "all", false, "Export every object of the kind.")
	cmd.Flags().BoolVarP(&o.AllNamespaces, "all-namespaces", "A", false, "Export across all namespaces (with --all).")
	out.AddFlags(cmd)
	return cmd
}

// exportJSON prints -o json: the cleaned objects as kubectl would (one named object as itself,
// otherwise a v1 List), or over several contexts the whole result. It is nil for YAML, the
// default, which stays a multi-document stream that kubectl apply -f takes as it is.
func exportJSON(env *Env, out *output.Flags, one bool) func(any) error {
	if out.Format() != "json" {
		return nil
	}
	return func(v any) error {
		res, ok := v.(*export.Result)
		if !ok {
			return out.PrintData(env.Streams.Out, v)
		}
		if one && len(res.Items) == 1 {
			return out.PrintData(env.Streams.Out, res.Items[0])
		}
		return out.PrintData(env.Streams.Out, res.List())
	}
}
