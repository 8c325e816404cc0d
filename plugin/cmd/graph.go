package cmd

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"k8s.io/kubectl/pkg/util/templates"
	"sigs.k8s.io/yaml"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fleet"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/graph"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

var (
	graphLong = templates.LongDesc(`
		Show the dependsOn graph of Kustomizations and HelmReleases, with the sources they read.
		Each node carries its readiness; a failing node (missing, suspended or not Ready) lists the
		nodes it blocks downstream, and each node lists the failing nodes upstream of it. Cycles
		and references to objects that do not exist are reported.

		-o tree (the default) prints each object that nothing depends on, with what it depends on
		beneath it; -o dot prints Graphviz input; -o json and -o yaml print the nodes and edges.`)

	graphExample = templates.Examples(`
		# The graph of the flux-system namespace
		kubectl flux-mcp graph -n flux-system

		# Of every namespace, rendered with Graphviz
		kubectl flux-mcp graph -A -o dot | dot -Tsvg > flux.svg`)
)

// NewGraphCommand is the cobra face of the graph operation.
func NewGraphCommand(env *Env) *cobra.Command {
	o := &graph.Options{}
	var format string
	var fl *fleet.Options
	cmd := &cobra.Command{
		Use:                   "graph [-A | -n NAMESPACE] [-o tree|json|yaml|dot]",
		DisableFlagsInUseLine: true,
		Short:                 "Show the dependsOn graph of Kustomizations and HelmReleases",
		Long:                  graphLong,
		Example:               graphExample,
		Args:                  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch format {
			case "", "tree", "json", "yaml", "dot":
			default:
				return fmt.Errorf("unknown output format %q: use tree, json, yaml or dot", format)
			}
			var data func(any) error
			if format == "json" || format == "yaml" {
				data = func(v any) error { return printData(env.Streams.Out, format, v) }
			}
			return runRead(cmd, env, fl, func(ctx string) operation.Operation[*graph.Result] {
				c := *o
				c.Context = ctx
				return &c
			}, data, func(res *graph.Result) error { return printGraph(env.Streams.Out, format, res) })
		},
	}
	fl = addFleetFlags(cmd)
	cmd.Flags().BoolVarP(&o.AllNamespaces, "all-namespaces", "A", false, "Graph the objects of every namespace.")
	cmd.Flags().StringVarP(&format, "output", "o", "tree", "Output format: tree, json, yaml or dot.")
	_ = cmd.RegisterFlagCompletionFunc("output", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"tree", "json", "yaml", "dot"}, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

// printData prints v as indented JSON or as YAML.
func printData(w io.Writer, format string, v any) error {
	var b []byte
	var err error
	if format == "json" {
		b, err = json.MarshalIndent(v, "", "    ")
		b = append(b, '\n')
	} else {
		b, err = yaml.Marshal(v)
	}
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func printGraph(w io.Writer, format string, res *graph.Result) error {
	switch format {
	case "json", "yaml":
		return printData(w, format, res)
	case "dot":
		_, err := io.WriteString(w, res.Dot())
		return err
	}
	return res.Print(w)
}
