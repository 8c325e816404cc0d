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
	Kind          string   `json:"kind,omitempty"`
	Name          string   `json:"name,omitempty"`
	Namespace     string   `json:"namespace,omitempty"`
	AllNamespaces bool     `json:"all_namespaces,omitempty"`
	Types         []string `json:"types,omitempty" jsonschema:"Normal, Warning"`
	Since         string   `json:"since,omitempty"`
	Grep          string   `json:"grep,omitempty" jsonschema:"Regexp"`
	Limit         int      `json:"limit,omitempty"`
	fleetArgs
}

func getFluxEvents(d Deps) Tool {
	return readTool(d, "get_flux_events",
		"Events of Flux objects (one and its source, a kind, or all), newest first.",
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
