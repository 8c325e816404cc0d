// Package mcp is the Model Context Protocol face of kubectl-flux-mcp: the serve command, its
// transports, the tool registry with read-only filtering, and the one output filter that every tool
// result passes before it leaves the process.
package mcp

import (
	"context"
	"fmt"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/mcp/tools"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/version"
)

// Options are the server's settings, from the serve flags.
type Options struct {
	// ReadOnly hides the mutating tools and refuses calls to them.
	ReadOnly bool
	// MaskSecrets keeps Secret values inside the process.
	MaskSecrets bool
	// Confirm says which calls ask the user first, through elicitation: destructive, all or none.
	Confirm string
	// ConfirmFallback is what happens to such a call when the client cannot ask: allow or deny.
	ConfirmFallback string
	// ConformanceFixtures adds the fixtures of the MCP conformance suite (tests only).
	ConformanceFixtures bool
}

// Instructions are what the server tells an assistant in initialize: which tool answers which
// question, and what the arguments that every tool shares mean (said once here rather than in each
// tool's schema, which a client pays for on every session).
const Instructions = `Tools to inspect and operate Flux CD on Kubernetes clusters.
Find what is failing: get_flux_resources with kind=all and status_selector=ready=false.
Understand one object: trace_flux_resource (who applied it), get_flux_tree (what it applied, live),
get_flux_events and get_flux_logs (what the controllers said), explain_flux_api (its fields).
Act: reconcile_flux_resource waits until the controller has handled the request and reports Ready,
message and revision; suspend_flux_resource and resume_flux_resource; the *_kubernetes_* tools
cover any other Kubernetes object.
Arguments mean the same in every tool: context is a kubeconfig context (default: the current one;
list_kubernetes_contexts lists them); contexts asks several at once (["*"] for all) and answers
per context; namespace defaults to the context's namespace; a read without name lists. kind takes a
Flux kind by name, plural or short name (ks, hr, gitrepo, ocirepo, helmrepo, hc, bucket, alert,
provider, rcv, imagerepo, imagepol, iua, fi, rset, rsip), or in the *_kubernetes_* and trace tools
any kind as kubectl takes it (deploy, cm). reconcile, suspend and resume act on name, names, all or
label_selector; timeout is per object (default 5m). label_selector and field_selector are
kubectl's; since is a maximum age (1h); dry_run changes nothing and shows the result;
flux_namespace defaults to flux-system.
Lists stop at limit and say what they left out; pass the continue token they give for more.
Secret values are masked unless the server was started with --mask-secrets=false; with --read-only
the tools that change the cluster are refused.`

// NewServer builds the MCP server with every tool over the given clients.
func NewServer(clients *cluster.Cache, o Options) *server.MCPServer {
	deps := tools.Deps{Clients: clients}
	if o.MaskSecrets {
		// The same masking as the output filter, applied where operations project objects.
		deps.Redact = MaskObject
		// Progress notifications quote controller messages and bypass the output filter.
		deps.Mask = MaskText
	}
	all := tools.All(deps)
	mutating := map[string]bool{}
	for _, t := range all {
		if t.Mutating {
			mutating[t.Def.Name] = true
		}
	}
	hooks := &server.Hooks{}
	res := &resources{clients: clients}
	if !o.ConformanceFixtures {
		// The conformance fixtures list their own static resources.
		hooks.AddAfterListResources(res.listHook)
	}
	hooks.AddAfterListTools(func(ctx context.Context, _ any, _ *mcp.ListToolsRequest, res *mcp.ListToolsResult) {
		tools.LegacyTitles(server.RequestProtocolVersion(ctx), res.Tools)
	})
	if o.ReadOnly {
		hooks.AddAfterListTools(func(_ context.Context, _ any, _ *mcp.ListToolsRequest, res *mcp.ListToolsResult) {
			kept := res.Tools[:0]
			for _, t := range res.Tools {
				if !mutating[t.Name] {
					kept = append(kept, t)
				}
			}
			res.Tools = kept
		})
	}
	opts := []server.ServerOption{
		server.WithInstructions(Instructions),
		server.WithToolCapabilities(false),
		server.WithLogging(),
		server.WithRecovery(),
		server.WithHooks(hooks),
		server.WithToolHandlerMiddleware(outputFilter(o)),
		server.WithToolHandlerMiddleware(confirmMiddleware(o, clients, mutating)),
		server.WithResourceCapabilities(true, true),
		server.WithResourceHandlerMiddleware(maskResources(o)),
		server.WithCompletions(),
		server.WithResourceCompletionProvider(newFluxCompleter(clients)),
		server.WithElicitation(),
	}
	if o.ConformanceFixtures {
		opts = append(opts, conformanceOptions()...)
	}
	s := server.NewMCPServer("kubectl-flux-mcp", version.Get(), opts...)
	// The hooks are read when called, so the subscriptions can register theirs after the server exists.
	res.subs = newSubscriptions(s, clients, hooks)
	for _, t := range all {
		h := t.Handler
		if o.ReadOnly && t.Mutating {
			name := t.Def.Name
			h = func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
				return mcp.NewToolResultError(fmt.Sprintf("%s is refused: the server runs with --read-only, which forbids changes to the cluster", name)), nil
			}
		}
		s.AddTool(t.Def, h)
	}
	res.add(s)
	if o.ConformanceFixtures {
		addConformanceFixtures(s)
	}
	return s
}

// outputFilter is the single exit of every tool result: masking happens here, once, so that no
// tool can forget it.
func outputFilter(o Options) server.ToolHandlerMiddleware {
	return func(next server.ToolHandlerFunc) server.ToolHandlerFunc {
		return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			res, err := next(ctx, req)
			if err != nil || res == nil || !o.MaskSecrets {
				return res, err
			}
			return MaskResult(res), nil
		}
	}
}
