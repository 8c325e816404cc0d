package cmd

import (
	"errors"

	"github.com/spf13/cobra"
	"k8s.io/kubectl/pkg/util/templates"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/diagnose"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/output"
)

var (
	diagnoseLong = templates.LongDesc(`
		Explain why a Flux object is not Ready. The object is walked to whatever decides its state:
		its conditions, its source chain, the objects it depends on (recursively), the objects it
		applied, recent Warning events, the controller's error log lines, suspended objects that
		applied it, and whether it has reconciled lately. Each finding names the rule, the object
		and the evidence (a field, condition, event or log line), most likely cause first.

		With --all, every Flux object that is not Ready in the namespace (or in all namespaces with
		-A) is diagnosed. What cannot be read (forbidden, not reachable) is said, and the rest is
		still checked. The rules are fixed; no model is involved.`)

	diagnoseExample = templates.Examples(`
		# Why is the apps Kustomization not ready?
		kubectl flux-mcp diagnose ks apps -n flux-system

		# Every object that is not Ready, in all namespaces, as JSON
		kubectl flux-mcp diagnose --all -A -o json`)
)

// NewDiagnoseCommand is the cobra face of the diagnose operation.
func NewDiagnoseCommand(env *Env) *cobra.Command {
	o := &diagnose.Options{}
	cmd := &cobra.Command{
		ValidArgsFunction:     completeKindAndNames(env, anyKind, 1),
		Use:                   "diagnose (KIND NAME [-n NAMESPACE] | --all [-A]) [-o json|yaml]",
		DisableFlagsInUseLine: true,
		Short:                 "Explain why a Flux object is not Ready",
		Long:                  diagnoseLong,
		Example:               diagnoseExample,
	}
	out := output.NewDataFlags()
	out.AddFlags(cmd)
	fl := addFleetFlags(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		switch {
		case o.All && len(args) > 0:
			return errors.New("--all diagnoses every object that is not Ready: give either KIND NAME or --all, not both")
		case !o.All && len(args) != 2:
			return errors.New(`a kind and a name are required, e.g. "kubectl flux-mcp diagnose ks apps -n flux-system", or --all`)
		case !o.All:
			o.Kind, o.Name = args[0], args[1]
		}
		if err := out.Validate(); err != nil {
			return err
		}
		return runRead(cmd, env, fl, func(ctx string) operation.Operation[*diagnose.Result] {
			c := *o
			c.Context = ctx
			return &c
		}, dataPrinter(env, out), func(res *diagnose.Result) error { return res.Print(env.Streams.Out) })
	}
	cmd.Flags().BoolVar(&o.All, "all", false, "Diagnose every Flux object that is not Ready.")
	cmd.Flags().BoolVarP(&o.AllNamespaces, "all-namespaces", "A", false, "With --all, look in every namespace.")
	cmd.Flags().StringVar(&o.FluxNamespace, "flux-namespace", "flux-system", "Namespace where the Flux controllers run, for their logs.")
	return cmd
}
