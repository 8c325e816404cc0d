package cmd

import (
	"github.com/spf13/cobra"
	"k8s.io/kubectl/pkg/util/templates"
)

var (
	resumeLong = templates.LongDesc(`
		Let Flux reconcile suspended objects again, request a reconciliation and wait for it.

		Toolkit objects get spec.suspend: false; Flux Operator objects get the annotation
		fluxcd.controlplane.io/reconcile: enabled. The reconcile request goes in the same write,
		and the command waits until the controller has handled it, as reconcile does, unless
		--no-wait.`)

	resumeExample = templates.Examples(`
		# Resume a Kustomization and wait for it to be applied
		kubectl flux-mcp resume ks apps -n flux-system

		# Resume every ResourceSet in a namespace without waiting
		kubectl flux-mcp resume resourceset --all -n tenants --no-wait`)
)

// NewResumeCommand is the cobra face of the suspend operation run as resume.
func NewResumeCommand(env *Env) *cobra.Command {
	return newSwitchCommand(env, true)
}
