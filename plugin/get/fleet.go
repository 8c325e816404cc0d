package get

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
)

// DefaultContextTimeout bounds each context of a fleet query, so that one unreachable cluster
// cannot hold up the answer about the others.
const DefaultContextTimeout = 10 * time.Second

// ContextResult is how one context of a fleet query went.
type ContextResult struct {
	Name  string `json:"name" jsonschema:"Kubeconfig context"`
	Items int    `json:"items" jsonschema:"How many objects it returned"`
	Error string `json:"error,omitempty" jsonschema:"Why the context gave no answer (unreachable, forbidden, timed out)"`
}

func (o *Options) fleet() bool { return o.AllContexts || len(o.Contexts) > 0 }

// completeFleet resolves the context names against the kubeconfig; clients are made per context at run time.
func (o *Options) completeFleet(c *cluster.Cache) error {
	if o.Context != "" {
		return errors.New("give either context or contexts/all-contexts, not both")
	}
	raw, err := c.Flags().ToRawKubeConfigLoader().RawConfig()
	if err != nil {
		return fmt.Errorf("cannot read kubeconfig: %w", err)
	}
	known := make([]string, 0, len(raw.Contexts))
	for n := range raw.Contexts {
		known = append(known, n)
	}
	sort.Strings(known)
	if o.AllContexts {
		o.fleetNames = known
	} else {
		seen := map[string]bool{}
		for _, n := range o.Contexts {
			n = strings.TrimSpace(n)
			if n == "" || seen[n] {
				continue
			}
			if _, ok := raw.Contexts[n]; !ok {
				return fmt.Errorf("context %q not found in kubeconfig; known contexts: %v", n, known)
			}
			seen[n] = true
			o.fleetNames = append(o.fleetNames, n)
		}
	}
	if len(o.fleetNames) == 0 {
		return errors.New("no contexts to query: the kubeconfig has none")
	}
	if o.ContextTimeout <= 0 {
		o.ContextTimeout = DefaultContextTimeout
	}
	o.cache = c
	return nil
}

// runFleet runs the query in every context concurrently, each under its own timeout, and keeps
// each context's answer or error.
func (o *Options) runFleet(ctx context.Context) (*Result, error) {
	type answer struct {
		res *Result
		err error
	}
	answers := make([]answer, len(o.fleetNames))
	var wg sync.WaitGroup
	for i, name := range o.fleetNames {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cctx, cancel := context.WithTimeout(ctx, o.ContextTimeout)
			defer cancel()
			sub := &Options{Kind: o.Kind, Names: o.Names, Namespace: o.Namespace, AllNamespaces: o.AllNamespaces,
				LabelSelector: o.LabelSelector, StatusSelector: o.StatusSelector, Context: name, ItemsOnly: o.ItemsOnly}
			res, err := o.one(cctx, sub)
			if err != nil && cctx.Err() != nil && ctx.Err() == nil {
				err = fmt.Errorf("no answer within %s", o.ContextTimeout)
			}
			answers[i] = answer{res: res, err: err}
		}()
	}
	wg.Wait()
	res := &Result{Items: []Item{}, Namespace: o.Namespace}
	notInstalled := map[string]bool{}
	for i, a := range answers {
		cr := ContextResult{Name: o.fleetNames[i]}
		if a.err != nil {
			cr.Error = cluster.Explain(a.err).Error()
		} else {
			cr.Items = len(a.res.Items)
			for _, it := range a.res.Items {
				it.Context = cr.Name
				res.Items = append(res.Items, it)
			}
			for _, k := range a.res.NotInstalled {
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

// one runs the single-context query; building clients for an unreachable context is part of it.
func (o *Options) one(ctx context.Context, sub *Options) (*Result, error) {
	type out struct {
		res *Result
		err error
	}
	ch := make(chan out, 1)
	go func() {
		if err := sub.Complete(o.cache); err != nil {
			ch <- out{err: err}
			return
		}
		if err := sub.Validate(); err != nil {
			ch <- out{err: err}
			return
		}
		res, err := sub.Run(ctx)
		ch <- out{res: res, err: err}
	}()
	select {
	case r := <-ch:
		return r.res, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
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
