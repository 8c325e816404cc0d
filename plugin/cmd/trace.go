package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"k8s.io/kubectl/pkg/util/templates"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/output"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/trace"
)

var (
	traceLong = templates.LongDesc(`
		Show how an object came to be in the cluster: the Flux object that applied it, the one that
		applied that, and so on up to the top, with each one's Ready status, revision and source
		(kind, URL and artifact revision).

		KIND is any kind the cluster serves, as kubectl accepts it (deployment, deploy, cm,
		kustomization, helmreleases.helm.toolkit.fluxcd.io…); KIND/NAME works too. Flux finds the
		applier from the labels it sets (kustomize.toolkit.fluxcd.io/name, helm.toolkit.fluxcd.io/name,
		resourceset.fluxcd.controlplane.io/name, fluxcd.controlplane.io/name); objects without them,
		such as Pods, are traced through their owners.`)

	traceExample = templates.Examples(`
		# Where does this Deployment come from?
		kubectl flux-mcp trace deployment podinfo -n apps

		# A Pod, through its ReplicaSet and Deployment
		kubectl flux-mcp trace pod/podinfo-5d4f-x7k2p -n apps

		# A kind named with its API version, as JSON
		kubectl flux-mcp trace Kustomization apps --api-version kustomize.toolkit.fluxcd.io/v1 -n flux-system -o json`)
)

// NewTraceCommand is the cobra face of the trace operation.
func NewTraceCommand(env *Env) *cobra.Command {
	o := &trace.Options{}
	cmd := &cobra.Command{
		ValidArgsFunction:     completeAnyKindAndName(env),
		Use:                   "trace KIND NAME [-n NAMESPACE] [--api-version VERSION] [-o json|yaml]",
		DisableFlagsInUseLine: true,
		Short:                 "Trace an object up the chain of Flux objects that applied it",
		Long:                  traceLong,
		Example:               traceExample,
	}
	out := output.NewDataFlags()
	out.AddFlags(cmd)
	fl := addFleetFlags(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		kind, name, err := kindAndName(args)
		if err != nil {
			return fmt.Errorf("%w, e.g. %q", err, "kubectl flux-mcp trace deployment podinfo -n apps")
		}
		o.Kind, o.Name = kind, name
		if err := out.Validate(); err != nil {
			return err
		}
		return runRead(cmd, env, fl, func(ctx string) operation.Operation[*trace.Result] {
			c := *o
			c.Context = ctx
			return &c
		}, dataPrinter(env, out), func(res *trace.Result) error { return res.Print(env.Streams.Out) })
	}
	cmd.Flags().StringVar(&o.APIVersion, "api-version", "", "API version of KIND, e.g. apps/v1, when the kind alone is ambiguous.")
	return cmd
}

// kindAndName reads "KIND NAME" or "KIND/NAME".
func kindAndName(args []string) (string, string, error) {
	switch len(args) {
	case 1:
		if kind, name, ok := strings.Cut(args[0], "/"); ok && kind != "" && name != "" {
			return kind, name, nil
		}
	case 2:
		return args[0], args[1], nil
	}
	return "", "", fmt.Errorf("a kind and a name are required, as KIND NAME or KIND/NAME")
}
