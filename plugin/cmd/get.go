package cmd

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/kubectl/pkg/util/templates"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fleet"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/get"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/output"
)

var (
	getLong = templates.LongDesc(`
		List Flux objects with their readiness, revision and whether they are suspended.

		KIND is any Flux kind by name, plural or short name (ks, hr, gitrepo, ocirepo, helmrepo,
		helmchart, bucket, alert, provider, receiver, imagerepo, imagepolicy, imageupdate,
		fluxinstance, resourceset, rsip), or "all" for every Flux kind the cluster serves.`)

	getExample = templates.Examples(`
		# Kustomizations in every namespace
		kubectl flux-mcp get ks -A

		# Everything Flux that is not ready
		kubectl flux-mcp get all -A --status-selector ready=false

		# The 20 objects that most need attention, then the next 20
		kubectl flux-mcp get all -A --limit 20
		kubectl flux-mcp get all -A --limit 20 --continue TOKEN

		# One HelmRelease as YAML
		kubectl flux-mcp get hr podinfo -n apps -o yaml`)
)

// NewGetCommand is the cobra face of the get operation.
func NewGetCommand(env *Env) *cobra.Command {
	o := &get.Options{}
	out := output.NewFlags(true)
	var fl *fleet.Options
	cmd := &cobra.Command{
		Use:                   "get KIND [NAME...] [-A | -n NAMESPACE] [-l SELECTOR] [--status-selector COND=VALUE] [-o FORMAT]",
		DisableFlagsInUseLine: true,
		Short:                 "List Flux objects and their status",
		Long:                  getLong,
		Example:               getExample,
		ValidArgsFunction:     completeKindAndNames(env, kindsOrAll, 0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return fmt.Errorf("a kind is required, e.g. %q or %q", "kubectl flux-mcp get ks -A", "kubectl flux-mcp get all")
			}
			o.Kind, o.Names = args[0], args[1:]
			// get merges the contexts into one table with a CONTEXT column rather than a section each.
			o.AllContexts, o.Contexts, o.ContextTimeout = fl.All, fl.Contexts, fl.Timeout
			if err := checkFleet(env, fl); err != nil {
				return err
			}
			if err := out.Validate(); err != nil {
				return err
			}
			// A table needs only the items, which lists decode several times faster than objects.
			o.ItemsOnly = out.IsTable()
			res, err := operation.Execute(cmd.Context(), env.Clients, o)
			if err != nil {
				return err
			}
			return printGet(env, out, o, res)
		},
	}
	cmd.Flags().BoolVarP(&o.AllNamespaces, "all-namespaces", "A", false, "List objects across all namespaces.")
	cmd.Flags().StringVarP(&o.LabelSelector, "selector", "l", "", "Label selector to filter on, e.g. -l app=podinfo.")
	cmd.Flags().StringVar(&o.StatusSelector, "status-selector", "", "Condition selector to filter on, e.g. ready=false.")
	fl = addFleetFlags(cmd)
	cmd.Flags().IntVar(&o.Limit, "limit", 0, "Print at most this many objects, those needing attention first, and say how many were left out; 0 for all.")
	cmd.Flags().StringVar(&o.Continue, "continue", "", "With --limit: the token a limited listing printed, for its next page.")
	out.AddFlags(cmd)
	return cmd
}

func printGet(env *Env, out *output.Flags, o *get.Options, res *get.Result) error {
	w := env.Streams.Out
	// Over several contexts the context of each object matters: print the result, not bare objects.
	if len(res.Contexts) > 0 && (out.Format() == "json" || out.Format() == "yaml") {
		return out.PrintData(w, res)
	}
	if errs := res.ContextErrors(); errs != "" {
		fmt.Fprint(env.Streams.ErrOut, errs)
	}
	if !out.IsTable() {
		return out.PrintObjects(w, res.Objects(), len(o.Names) != 1)
	}
	if len(res.Items) == 0 {
		_, err := fmt.Fprintln(env.Streams.ErrOut, res.EmptyMessage())
		return err
	}
	if res.Notice != "" {
		// A page is in attention order; the tables still group it by kind.
		res.SortByKind()
		defer fmt.Fprintln(env.Streams.ErrOut, res.Notice)
	}
	tables := res.Tables(o.AllNamespaces, get.IsAll(o.Kind), time.Now())
	for i, t := range tables {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if err := t.Table.Print(w, out.IsWide(), true); err != nil {
			return err
		}
	}
	return nil
}
