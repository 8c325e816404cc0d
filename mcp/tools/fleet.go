package tools

import (
	"context"
	"errors"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fleet"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

// fleetArgs are the arguments that say where a read tool looks: one context, or several at once.
// Read tools embed them, so that every one spells them the same.
type fleetArgs struct {
	Context  string   `json:"context,omitempty"`
	Contexts []string `json:"contexts,omitempty"`
}

func (a fleetArgs) fleet() fleetArgs { return a }

// withFleet is what a read tool's arguments must offer: their embedded fleetArgs.
type withFleet interface{ fleet() fleetArgs }

// readTool declares and binds a read tool that answers for one context or, given contexts, for
// each of them: build makes the operation for one context ("" for the current one) and text
// renders one context's result. Over several contexts the structured content is
// {"contexts": [{context, result | error}]} and the text has a section per context.
func readTool[Args withFleet, T any](d Deps, name, description string, h hints,
	build func(a Args, context string) operation.Operation[*T], text func(*T) string) Tool {
	return Tool{Def: fleetToolDef[Args, T](d, name, description, h), Handler: fleetHandler(d, build, text)}
}

// fleetToolDef is newTool whose output schema also allows the answer over several contexts: the
// result's properties plus "contexts", none of them required, as only one form is present. Each
// context's result has the single-context shape; the schema says so rather than repeating it,
// which would double the size of tools/list.
func fleetToolDef[Args, T any](d Deps, name, description string, h hints) mcp.Tool {
	return declare(name, description, h, schemasFor[Args, T](d, name, true))
}

// contextsSchema is the schema of fleet.Result's contexts, kept to its type like every other
// output property (see compactOutputSchema): one {context, result | error} per context.
func contextsSchema() map[string]any {
	return map[string]any{"type": "array"}
}

func fleetHandler[Args withFleet, T any](d Deps, build func(Args, string) operation.Operation[*T], text func(*T) string) server.ToolHandlerFunc {
	one := handler(d, func(a Args) operation.Operation[*T] { return build(a, a.fleet().Context) }, text)
	many := handler(d, func(a Args) operation.Operation[*fleet.Result[*T]] {
		if a.fleet().Context != "" {
			return badArgs[*fleet.Result[*T]]{errors.New("give either context or contexts, not both")}
		}
		return &fleet.Op[*T]{
			Options: fleet.Options{Contexts: a.fleet().Contexts},
			New:     func(context string) operation.Operation[*T] { return build(a, context) },
		}
	}, func(r *fleet.Result[*T]) string { return r.Text(text) })
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		var args Args
		if err := req.BindArguments(&args); err == nil && len(args.fleet().Contexts) > 0 {
			return many(ctx, req)
		}
		return one(ctx, req)
	}
}
