package get

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fleet"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

// DefaultContextTimeout bounds each context of a fleet query, so that one unreachable cluster
// cannot hold up the answer about the others.
const DefaultContextTimeout = fleet.DefaultTimeout

// ContextResult is how one context of a fleet query went.
type ContextResult struct {
	Name  string `json:"name" jsonschema:"Kubeconfig context"`
	Items int    `json:"items" jsonschema:"How many objects it returned"`
	Error string `json:"error,omitempty" jsonschema:"Why the context gave no answer (unreachable, forbidden, timed out)"`
}

func (o *Options) fleetOptions() fleet.Options {
	return fleet.Options{All: o.AllContexts, Contexts: o.Contexts, Timeout: o.ContextTimeout}
}

func (o *Options) fleet() bool { return o.fleetOptions().Enabled() }

// completeFleet resolves the context names against the kubeconfig; clients are made per context at run time.
func (o *Options) completeFleet(c *cluster.Cache) error {
	if o.Context != "" {
		return errors.New("give either context or contexts/all-contexts, not both")
	}
	names, err := fleet.Resolve(c, o.fleetOptions())
	if err != nil {
		return err
	}
	o.fleetNames = names
	if o.ContextTimeout <= 0 {
		o.ContextTimeout = DefaultContextTimeout
	}
	o.cache = c
	return nil
}

// runFleet runs the query in every context concurrently, each under its own timeout, and merges
// the answers into one list with a CONTEXT column, keeping each context's count or error.
func (o *Options) runFleet(ctx context.Context) (*Result, error) {
	answers := fleet.Run(ctx, o.fleetNames, o.ContextTimeout, func(ctx context.Context, name string) (*Result, error) {
		sub := &Options{Kind: o.Kind, Names: o.Names, Namespace: o.Namespace, AllNamespaces: o.AllNamespaces,
			LabelSelector: o.LabelSelector, StatusSelector: o.StatusSelector, Context: name, ItemsOnly: o.ItemsOnly}
		return operation.Execute(ctx, o.cache, sub)
	})
	res := &Result{Items: []Item{}, Namespace: o.Namespace}
	notInstalled := map[string]bool{}
	for _, a := range answers {
		cr := ContextResult{Name: a.Context, Error: a.Error}
		if a.Error == "" {
			cr.Items = len(a.Result.Items)
			for _, it := range a.Result.Items {
				it.Context = cr.Name
				res.Items = append(res.Items, it)
			}
			for _, k := range a.Result.NotInstalled {
				notInstalled[k] = true
			}
		}
		res.Contexts = append(res.Contexts, cr)
	}
	order := map[string]int{}
	for i, k := range o.kinds {
		order[k.Kind] = i
	}
	sort.SliceStable(res.Items, func(a, b int) bool { return order[res.Items[a].Kind] < order[res.Items[b].Kind] })
	for _, k := range o.kinds {
		if notInstalled[k.Kind] {
			res.NotInstalled = append(res.NotInstalled, k.Kind)
		}
	}
	return res, nil
}

// ContextErrors renders the contexts that gave no answer, one line each.
func (r *Result) ContextErrors() string {
	var b strings.Builder
	for _, c := range r.Contexts {
		if c.Error != "" {
			fmt.Fprintf(&b, "context %s: %s\n", c.Name, c.Error)
		}
	}
	return b.String()
}
