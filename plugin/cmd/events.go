package cmd

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/kubectl/pkg/util/templates"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/events"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/output"
)

var (
	eventsLong = templates.LongDesc(`
		Show the Kubernetes events of Flux objects, oldest first, as flux events does.

		With KIND NAME (or KIND/NAME), the events of that object and of its source (for a
		HelmRelease, also of its HelmChart); with KIND alone, of every object of the kind; with
		neither, of every Flux object in the namespace (or in all namespaces with -A). With -w, new
		events print as they come, until interrupted.`)

	eventsExample = templates.Examples(`
		# What happened to the apps Kustomization and its GitRepository
		kubectl flux-mcp events ks apps -n flux-system

		# Warnings of the last hour, in every namespace
		kubectl flux-mcp events -A --types Warning --since 1h

		# Follow the events of a HelmRelease
		kubectl flux-mcp events hr/podinfo -n apps -w`)
)

// NewEventsCommand is the cobra face of the events operation.
func NewEventsCommand(env *Env) *cobra.Command {
	o := &events.Options{}
	var watch bool
	cmd := &cobra.Command{
		Use:                   "events [KIND [NAME]] [-n NAMESPACE | -A] [--types Warning,Normal] [--since DURATION] [--grep REGEX] [-w] [-o json|yaml]",
		DisableFlagsInUseLine: true,
		Short:                 "Show the events of Flux objects",
		Long:                  eventsLong,
		Example:               eventsExample,
		Args:                  cobra.MaximumNArgs(2),
	}
	out := output.NewDataFlags()
	out.AddFlags(cmd)
	fl := addFleetFlags(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		switch len(args) {
		case 1:
			o.Kind = args[0]
			if kind, name, ok := strings.Cut(args[0], "/"); ok {
				o.Kind, o.Name = kind, name
			}
		case 2:
			o.Kind, o.Name = args[0], args[1]
		}
		if err := out.Validate(); err != nil {
			return err
		}
		if watch && !out.IsTable() {
			return errors.New("-w prints rows as events come: it cannot be combined with -o")
		}
		if watch && fl.Enabled() {
			return errors.New("-w watches one context: it cannot be combined with --contexts or --all-contexts")
		}
		return runRead(cmd, env, fl, func(ctx string) operation.Operation[*events.Result] {
			if ctx == "" {
				return o // -w watches with the clients this run completed
			}
			c := *o
			c.Context = ctx
			return &c
		}, dataPrinter(env, out), func(res *events.Result) error { return printEvents(cmd, env, o, res, watch) })
	}
	f := cmd.Flags()
	f.BoolVarP(&o.AllNamespaces, "all-namespaces", "A", false, "Show events of Flux objects in all namespaces.")
	f.StringSliceVar(&o.Types, "types", nil, "Event types to show, e.g. Warning or Warning,Normal.")
	f.DurationVar(&o.Since, "since", 0, "Show only events seen within this duration, e.g. 1h or 30m.")
	f.StringVar(&o.Grep, "grep", "", "Show only events whose reason, object or message match this regular expression.")
	f.BoolVarP(&watch, "watch", "w", false, "After listing, print new events as they come.")
	return cmd
}

func printEvents(cmd *cobra.Command, env *Env, o *events.Options, res *events.Result, watch bool) error {
	w := env.Streams.Out
	// A watch across namespaces or into a source's namespace needs the column from the start.
	withNS := res.ShowNamespace() || (watch && len(res.Objects) > 1)
	headers := true
	if len(res.Events) > 0 {
		if err := res.Table(withNS, time.Now()).Print(w, false, true); err != nil {
			return err
		}
		headers = false
	} else if !watch {
		_, err := fmt.Fprintln(env.Streams.ErrOut, res.EmptyMessage())
		return err
	}
	if !watch {
		return nil
	}
	return o.Watch(cmd.Context(), res, func(e events.Event) error {
		t := output.Table{Columns: events.Columns(withNS), Rows: [][]string{e.Row(withNS, time.Now())}}
		err := t.Print(w, false, headers)
		headers = false
		return err
	})
}
