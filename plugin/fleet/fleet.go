// Package fleet runs a read operation in several kubeconfig contexts at once: each context
// concurrently, each under its own timeout, keeping each context's answer or error, so that one
// unreachable or forbidden cluster never hides the others. Every read operation gets its
// --contexts/--all-contexts face and its `contexts` tool argument from here, not from code of its own.
package fleet

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

// DefaultTimeout bounds each context of a fleet query, so that one unreachable cluster cannot
// hold up the answer about the others.
const DefaultTimeout = 10 * time.Second

// Every is the context name that stands for every context of the kubeconfig (tool argument ["*"]).
const Every = "*"

// Options say which contexts to query and how long to wait for each.
type Options struct {
	// All queries every context of the kubeconfig.
	All bool
	// Contexts are the contexts to query, in this order; "*" means all.
	Contexts []string
	// Timeout bounds each context; DefaultTimeout when 0.
	Timeout time.Duration
}

// Enabled says whether a fleet query was asked for, rather than one in a single context.
func (o Options) Enabled() bool { return o.All || len(o.Contexts) > 0 }

// Resolve returns the context names to query, checked against the kubeconfig: every context
// (sorted) with All or "*", else the given ones in their order, without repeats.
func Resolve(c *cluster.Cache, o Options) ([]string, error) {
	raw, err := c.Flags().ToRawKubeConfigLoader().RawConfig()
	if err != nil {
		return nil, fmt.Errorf("cannot read kubeconfig: %w", err)
	}
	known := make([]string, 0, len(raw.Contexts))
	for n := range raw.Contexts {
		known = append(known, n)
	}
	sort.Strings(known)
	all := o.All
	for _, n := range o.Contexts {
		all = all || strings.TrimSpace(n) == Every
	}
	if all {
		if len(known) == 0 {
			return nil, errors.New("no contexts to query: the kubeconfig has none")
		}
		return known, nil
	}
	var names []string
	seen := map[string]bool{}
	for _, n := range o.Contexts {
		n = strings.TrimSpace(n)
		if n == "" || seen[n] {
			continue
		}
		if _, ok := raw.Contexts[n]; !ok {
			return nil, fmt.Errorf("context %q not found in kubeconfig; known contexts: %v", n, known)
		}
		seen[n] = true
		names = append(names, n)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no contexts to query: name some, or all; known contexts: %v", known)
	}
	return names, nil
}

// Answer is how one context of a fleet query went: its result, or why it gave none.
type Answer[R any] struct {
	Context string `json:"context" jsonschema:"Kubeconfig context"`
	Result  R      `json:"result,omitempty" jsonschema:"The answer in this context, as the tool gives it for one context"`
	Error   string `json:"error,omitempty" jsonschema:"Why this context gave no answer: unreachable, forbidden, timed out or invalid there"`
}

// Run calls fn for every context concurrently, each under its own timeout, and returns the answers
// in the order of names. A context that does not answer in time is abandoned, not waited for: its
// answer says so.
func Run[R any](ctx context.Context, names []string, timeout time.Duration, fn func(ctx context.Context, context string) (R, error)) []Answer[R] {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	answers := make([]Answer[R], len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = one(ctx, name, timeout, fn)
		}()
	}
	wg.Wait()
	return answers
}

func one[R any](ctx context.Context, name string, timeout time.Duration, fn func(context.Context, string) (R, error)) Answer[R] {
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	type out struct {
		res R
		err error
	}
	// Some client calls (discovery, building the REST mapping) do not take a context: they run
	// in a goroutine of their own so that the timeout holds even then.
	ch := make(chan out, 1)
	go func() {
		res, err := fn(cctx, name)
		ch <- out{res, err}
	}()
	var r out
	select {
	case r = <-ch:
	case <-cctx.Done():
		r.err = cctx.Err()
	}
	a := Answer[R]{Context: name}
	switch {
	case r.err != nil && cctx.Err() != nil && ctx.Err() == nil:
		a.Error = fmt.Sprintf("no answer within %s", timeout)
	case r.err != nil:
		a.Error = strings.TrimSpace(cluster.Explain(r.err).Error())
	default:
		a.Result = r.res
	}
	return a
}

// Result holds every context's answer, in the order the contexts were given (sorted for all).
type Result[R any] struct {
	Contexts []Answer[R] `json:"contexts" jsonschema:"One answer per kubeconfig context, each with its result or its error; present only when several contexts were queried"`
}

// Failed lists the contexts that gave no answer, one line each: "context NAME: why".
func (r *Result[R]) Failed() string {
	var b strings.Builder
	for _, a := range r.Contexts {
		if a.Error != "" {
			fmt.Fprintf(&b, "context %s: %s\n", a.Context, a.Error)
		}
	}
	return b.String()
}

// Text renders each answering context's text under a "== context NAME" line, then one line per
// context that gave no answer.
func (r *Result[R]) Text(text func(R) string) string {
	var b strings.Builder
	for _, a := range r.Contexts {
		if a.Error != "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "== context %s\n", a.Context)
		t := text(a.Result)
		b.WriteString(t)
		if !strings.HasSuffix(t, "\n") {
			b.WriteString("\n")
		}
	}
	if failed := r.Failed(); failed != "" {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(failed)
	}
	return b.String()
}

// Op runs the operation that New builds for each context as one operation over the fleet.
type Op[R any] struct {
	Options
	// New builds the operation for one context; each context gets its own, completed, validated
	// and run there.
	New func(context string) operation.Operation[R]

	cache *cluster.Cache
	names []string
}

// Complete resolves the context names; each context's clients are made when it runs, so that one
// that cannot be reached fails alone.
func (o *Op[R]) Complete(c *cluster.Cache) error {
	names, err := Resolve(c, o.Options)
	if err != nil {
		return err
	}
	o.cache, o.names = c, names
	return nil
}

// Validate accepts: every context validates its own operation, whose inputs may depend on what
// that cluster serves.
func (o *Op[R]) Validate() error {
	if o.New == nil {
		return errors.New("fleet: no operation to run")
	}
	return nil
}

// Run runs the operation in every context. When every context failed for the same reason (the
// inputs were wrong, say), that reason is the error: the same line N times would say no more.
func (o *Op[R]) Run(ctx context.Context) (*Result[R], error) {
	answers := Run(ctx, o.names, o.Timeout, func(ctx context.Context, name string) (R, error) {
		return operation.Execute(ctx, o.cache, o.New(name))
	})
	if len(answers) > 1 && answers[0].Error != "" {
		same := true
		for _, a := range answers[1:] {
			same = same && a.Error == answers[0].Error
		}
		if same {
			return nil, fmt.Errorf("every context (%s) failed: %s", strings.Join(o.names, ", "), answers[0].Error)
		}
	}
	return &Result[R]{Contexts: answers}, nil
}
