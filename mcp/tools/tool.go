// Package tools is the MCP face of the operations: one file per tool maps the tool's arguments onto
// an operation's Options and its Result back onto structured content plus compact text. No tool
// does the work itself; that lives in plugin/.
package tools

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/kube"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/progress"
)

// Deps are what every tool needs: the per-context client cache, and the redactor that the server
// sets when it masks secrets, for operations that project objects before the output filter sees them.
type Deps struct {
	Clients *cluster.Cache
	Redact  kube.Redactor
	// Mask, set with Redact, masks free text that leaves outside a tool result: the progress
	// notifications, which quote controller messages (a source URL with its credentials).
	Mask func(string) string
	// ReflectSchemas builds every tool's schemas from its Go types rather than taking them from
	// schemas.json, the copy generated from those types (for the test that keeps it current).
	ReflectSchemas bool
	// schemas is the generated copy, read once by All.
	schemas map[string]toolSchemas
	// collect, when set, receives every tool's schemas as the tools are declared (for that test).
	collect map[string]toolSchemas
}

// Tool is one registered tool.
type Tool struct {
	Def     mcp.Tool
	Handler server.ToolHandlerFunc
	// Mutating tools change the cluster: hidden and refused under --read-only.
	Mutating bool
}

// All returns every tool, in the order tools/list shows them.
func All(d Deps) []Tool {
	if !d.ReflectSchemas {
		d.schemas = generatedSchemas()
	}
	return []Tool{
		getFluxResources(d),
		reconcileFluxResource(d),
		suspendFluxResource(d),
		resumeFluxResource(d),
		getFluxTree(d),
		traceFluxResource(d),
		getFluxEvents(d),
		getFluxLogs(d),
		getFluxStats(d),
		checkFlux(d),
		explainFluxAPI(d),
		exportFluxResources(d),
		diagnoseFluxResource(d),
		getFluxDependencyGraph(d),
		getKubernetesResources(d),
		getKubernetesAPIResources(d),
		applyKubernetesManifest(d),
		patchKubernetesResource(d),
		deleteKubernetesResource(d),
		listKubernetesContexts(d),
	}
}

// hints sets the title and all four annotation hints explicitly: mcp-go would otherwise leave
// destructiveHint to its default of true, which is wrong for a read.
type hints struct {
	title                                     string
	readOnly, destructive, idempotent, remote bool
}

func (h hints) option() mcp.ToolOption {
	return mcp.WithToolAnnotation(mcp.ToolAnnotation{
		ReadOnlyHint:    mcp.ToBoolPtr(h.readOnly),
		DestructiveHint: mcp.ToBoolPtr(h.destructive),
		IdempotentHint:  mcp.ToBoolPtr(h.idempotent),
		// Every tool talks to a Kubernetes API server, an external system.
		OpenWorldHint: mcp.ToBoolPtr(h.remote),
	})
}

// resultSchema is the output schema every tool sends: its results are JSON objects. The shape of
// each result (generated into schemas.json, shown in docs/tools.md) stays out of tools/list, which
// a client pays for in its context on every session: the 20 result schemas, even cut to their
// top level, were a quarter of it, and a model reads a result's fields from the result itself.
var resultSchema = json.RawMessage(`{"type":"object"}`)

// newTool declares a tool with its input and output schemas, its title and its hints.
func newTool[Args, Result any](d Deps, name, description string, h hints) mcp.Tool {
	return declare(name, description, h, schemasFor[Args, Result](d, name, false))
}

// declare sets the title once, as the tool's own (protocol 2025-06-18 and later); sessions of an
// older protocol get it as the annotation's title instead (see LegacyTitles).
func declare(name, description string, h hints, s toolSchemas) mcp.Tool {
	t := mcp.NewTool(name,
		mcp.WithDescription(description),
		mcp.WithToolTitle(h.title),
		h.option(),
		mcp.WithRawInputSchema(s.Input),
		mcp.WithRawOutputSchema(resultSchema),
	)
	// The raw schemas stand for the typed ones, which must stay empty to be left out.
	t.InputSchema = mcp.ToolInputSchema{}
	return t
}

// titledVersion is the first protocol version with a title of the tool's own.
const titledVersion = "2025-06-18"

// LegacyTitles moves each tool's title into its annotations for a session whose protocol predates
// the tool's own title, which such a client would not read. Protocol versions are dates, so they
// compare as strings.
func LegacyTitles(protocolVersion string, list []mcp.Tool) {
	if protocolVersion == "" || protocolVersion >= titledVersion {
		return
	}
	for i := range list {
		list[i].Annotations.Title, list[i].Title = list[i].Title, ""
	}
}

// handler binds the typed arguments, builds the operation from them and runs it; the result goes
// out as structured content with text, and any failure as an isError result with one clear line.
func handler[Args any, R any](d Deps, build func(Args) operation.Operation[R], text func(R) string) server.ToolHandlerFunc {
	return progressHandler(d,
		func(a Args, _ progress.Reporter) (operation.Operation[R], error) { return build(a), nil },
		text, func(R) error { return nil })
}

// trimmed is an operation whose result is then made smaller for a model (fewer items, shorter
// messages); the operation itself, and so the CLI, keeps the whole answer.
type trimmed[R any] struct {
	operation.Operation[R]
	trim func(R)
}

func (t trimmed[R]) Run(ctx context.Context) (R, error) {
	res, err := t.Operation.Run(ctx)
	if err == nil {
		t.trim(res)
	}
	return res, err
}

// ErrorResult is a tool result that tells the model what went wrong, in one line.
func ErrorResult(err error) *mcp.CallToolResult {
	return mcp.NewToolResultError(strings.TrimSpace(cluster.Explain(err).Error()))
}
