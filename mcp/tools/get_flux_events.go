package tools

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/events"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

// defaultEventLimit keeps a model's context small; the result says when it cut events off.
const defaultEventLimit = 50

type getFluxEventsArgs struct {
	Kind          string   `json:"kind,omitempty" jsonschema:"Flux kind (Kustomization, ks, HelmRelease, hr, GitRepository…); omit for every Flux kind"`
	Name          string   `json:"name,omitempty" jsonschema:"Name of one object (needs kind): its events and its source's"`
	Namespace     string   `json:"namespace,omitempty" jsonschema:"Namespace; omit for the context's default namespace"`
	AllNamespaces bool     `json:"all_namespaces,omitempty" jsonschema:"Events in all namespaces"`
	Types         []string `json:"types,omitempty" jsonschema:"Event types to keep: Normal, Warning"`
	Since         string   `json:"since,omitempty" jsonschema:"Keep only events seen within this duration, e.g. 1h or 30m"`
	Grep          string   `json:"grep,omitempty" jsonschema:"Regular expression the reason, object or message must match"`
	Limit         int      `json:"limit,omitempty" jsonschema:"Keep the most recent events only; default 50"`
	fleetArgs
}

func getFluxEvents(d Deps) Tool {
	return readTool(d, "get_flux_events",
		"List the Kubernetes events of Flux objects, oldest first: of one object together with its source, of a kind, or of every Flux object in a namespace. "+
			"Filter by type (Warning), age (since) and a regular expression. Returns the most recent events up to limit (default 50) and says when it cut older ones.",
		hints{title: "Get Flux events", readOnly: true, idempotent: true, remote: true},
		func(a getFluxEventsArgs, context string) operation.Operation[*events.Result] {
			o := &events.Options{Kind: a.Kind, Name: a.Name, Namespace: a.Namespace, AllNamespaces: a.AllNamespaces,
				Types: a.Types, Grep: a.Grep, Limit: a.Limit, Context: context}
			if o.Limit == 0 {
				o.Limit = defaultEventLimit
			}
			if strings.TrimSpace(a.Since) == "" {
				return o
			}
			since, err := time.ParseDuration(a.Since)
			if err != nil {
				return badArgs[*events.Result]{fmt.Errorf("invalid since %q: use a duration such as 30m or 2h", a.Since)}
			}
			o.Since = since
			return o
		}, func(r *events.Result) string { return r.Text(time.Now()) })
}

// badArgs stands in for an operation whose arguments the tool could not even parse: it fails
// before any request, as Validate would.
type badArgs[R any] struct{ err error }

func (b badArgs[R]) Complete(*cluster.Cache) error { return b.err }
func (b badArgs[R]) Validate() error               { return b.err }
func (b badArgs[R]) Run(context.Context) (R, error) {
	var zero R
	return zero, b.err
}
