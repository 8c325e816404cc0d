package cmd

import (
	"fmt"

	"github.com/spf13/cobra"
	"k8s.io/kubectl/pkg/util/templates"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/output"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/tree"
)

var (
	treeLong = templates.LongDesc(`
		Show the objects a Flux object applied, as a tree, with the live state of each: whether it
		still exists and, where it has one, its Ready condition.

		KIND is Kustomization (ks), HelmRelease (hr), ResourceSet (rset) or FluxInstance (fi).
		Kustomizations, ResourceSets and FluxInstances list their objects in status.inventory; a
		HelmRelease's objects are read from its Helm release. Flux objects in the tree expand in
		turn, down to --depth levels. Unlike flux tree, objects that were deleted since they were
		applied are marked missing.`)

	treeExample = templates.Examples(`
		# Everything the flux-system Kustomization applied
		kubectl flux-mcp tree ks flux-system -n flux-system

		# Only the first two levels, as JSON
		kubectl flux-mcp tree ks flux-system -n flux-system --depth 2 -o json

		# The objects of a Helm release
		kubectl flux-mcp tree hr podinfo -n apps`)
)

// NewTreeCommand is the cobra face of the tree operation.
func NewTreeCommand(env *Env) *cobra.Command {
	o := &tree.Options{}
	cmd := &cobra.Command{
		ValidArgsFunction:     completeKindAndNames(env, inventoryKinds, 1),
		Use:                   "tree KIND NAME [-n NAMESPACE] [--depth N] [-o json|yaml]",
		DisableFlagsInUseLine: true,
		Short:                 "Show what a Flux object applied, with live state",
		Long:                  treeLong,
		Example:               treeExample,
	}
	out := output.NewDataFlags()
	out.AddFlags(cmd)
	fl := addFleetFlags(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) != 2 {
			return fmt.Errorf("a kind and a name are required, e.g. %q", "kubectl flux-mcp tree ks flux-system -n flux-system")
		}
		o.Kind, o.Name = args[0], args[1]
		if err := out.Validate(); err != nil {
			return err
		}
		return runRead(cmd, env, fl, func(ctx string) operation.Operation[*tree.Result] {
			c := *o
			c.Context = ctx
			return &c
		}, dataPrinter(env, out), func(res *tree.Result) error { return res.Print(env.Streams.Out) })
	}
	cmd.Flags().IntVar(&o.Depth, "depth", 0, "Levels of inventory to show; 0 shows them all.")
	return cmd
}
