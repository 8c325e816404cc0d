package cmd

import (
	"fmt"

	"github.com/spf13/cobra"
	"k8s.io/kubectl/pkg/util/templates"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/output"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/reconcile"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/suspend"
)

var (
	suspendLong = templates.LongDesc(`
		Stop Flux from reconciling objects until they are resumed.

		Toolkit objects get spec.suspend: true; Flux Operator objects (FluxInstance, ResourceSet,
		ResourceSetInputProvider) get the annotation fluxcd.controlplane.io/reconcile: disabled.
		Objects already suspended are left unchanged.`)

	suspendExample = templates.Examples(`
		# Suspend a Kustomization
		kubectl flux-mcp suspend ks apps -n flux-system

		# Suspend every HelmRelease in a namespace
		kubectl flux-mcp suspend hr --all -n apps`)
)

// NewSuspendCommand is the cobra face of the suspend operation.
func NewSuspendCommand(env *Env) *cobra.Command {
	return newSwitchCommand(env, false)
}

// newSwitchCommand builds suspend, or resume when resume is set: one operation, two commands.
func newSwitchCommand(env *Env, resume bool) *cobra.Command {
	o := &suspend.Options{Resume: resume}
	out := output.NewDataFlags()
	verb, long, example := "suspend", suspendLong, suspendExample
	short := "Suspend the reconciliation of Flux objects"
	if resume {
		verb, long, example = "resume", resumeLong, resumeExample
		short = "Resume the reconciliation of Flux objects and wait for it"
	}
	use := verb + " KIND [NAME...] [--all | -l SELECTOR] [-o json|yaml]"
	if resume {
		use = verb + " KIND [NAME...] [--all | -l SELECTOR] [--timeout DURATION] [--no-wait] [-o json|yaml]"
	}
	cmd := &cobra.Command{
		Use:                   use,
		DisableFlagsInUseLine: true,
		Short:                 short,
		Long:                  long,
		Example:               example,
		ValidArgsFunction:     completeKindAndNames(env, suspendableKinds, 0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return fmt.Errorf("a kind is required, e.g. %q", "kubectl flux-mcp "+verb+" ks apps")
			}
			return runSelection(cmd, env, out, args, &o.Kind, &o.Selection, &o.Reporter, o)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.All, "all", false, "Act on every object of the kind in the namespace.")
	f.StringVarP(&o.LabelSelector, "selector", "l", "", "Act on the objects matching this label selector.")
	if resume {
		f.DurationVar(&o.Timeout, "timeout", reconcile.DefaultTimeout, "How long to wait for each reconciliation.")
		f.BoolVar(&o.NoWait, "no-wait", false, "Resume and request a reconciliation without waiting for it.")
	}
	out.AddFlags(cmd)
	return cmd
}
