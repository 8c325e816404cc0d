// Package tools is the MCP face of the operations: one file per tool maps the tool's arguments onto
// an operation's Options and its Result back onto structured content plus compact text. No tool
// does the work itself; that lives in plugin/.
package tools

import (
	"encoding/json"
	"reflect"
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
		Title:           h.title,
		ReadOnlyHint:    mcp.ToBoolPtr(h.readOnly),
		DestructiveHint: mcp.ToBoolPtr(h.destructive),
		IdempotentHint:  mcp.ToBoolPtr(h.idempotent),
		// Every tool talks to a Kubernetes API server, an external system.
		OpenWorldHint: mcp.ToBoolPtr(h.remote),
	})
}

// newTool declares a tool with typed input and output schemas, its title and its hints. The title
// is set twice, as the tool's title and in the annotations: clients of the 2025-03-26 protocol
// read only the annotation, later ones prefer the tool's own.
func newTool[Args, Result any](name, description string, h hints) mcp.Tool {
	t := mcp.NewTool(name,
		mcp.WithDescription(description),
		mcp.WithToolTitle(h.title),
		h.option(),
		mcp.WithInputSchema[Args](),
		mcp.WithOutputSchema[Result](),
	)
	t.RawInputSchema = compactInputSchema(t.RawInputSchema)
	compactOutputSchema(&t.OutputSchema, omitEmpty(reflect.TypeFor[Result]()))
	return t
}

// omitEmpty names the JSON fields of a struct (and of its embedded structs) tagged omitempty.
func omitEmpty(t reflect.Type) map[string]bool {
	out := map[string]bool{}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return out
	}
	for f := range t.Fields() {
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" {
			for k, v := range omitEmpty(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = strings.Contains(","+opts+",", ",omitempty,")
	}
	return out
}

// compactInputSchema drops what a client does not need to call a tool: additionalProperties
// (arguments are bound to a struct, unknown ones are ignored), an empty required list, and the
// null that jsonschema-go allows for list and pointer arguments (omitting one says the same).
func compactInputSchema(raw json.RawMessage) json.RawMessage {
	var s map[string]any
	if err := json.Unmarshal(raw, &s); err != nil {
		return raw
	}
	delete(s, "additionalProperties")
	if r, ok := s["required"].([]any); ok && len(r) == 0 {
		delete(s, "required")
	}
	props, _ := s["properties"].(map[string]any)
	for _, p := range props {
		m, ok := p.(map[string]any)
		if !ok {
			continue
		}
		if types, ok := m["type"].([]any); ok && len(types) == 2 && types[0] == "null" {
			m["type"] = types[1]
		}
	}
	out, err := json.Marshal(s)
	if err != nil {
		return raw
	}
	return out
}

// compactOutputSchema keeps the top level of an output schema: each property with its type, and
// what is required. A client pays for tools/list in its context on every session, and the full
// schemas of 20 results were more than half of it; the field meanings are in the results' text and
// in docs/tools.md. What is left is still a valid schema that every result satisfies (required is
// left out too: it only repeats which fields are never omitted).
// A nil list or pointer that is omitted when empty is never null, so its type loses the null.
func compactOutputSchema(s *mcp.ToolOutputSchema, omitted map[string]bool) {
	s.Defs, s.AdditionalProperties, s.Required = nil, nil, nil
	for name, p := range s.Properties {
		compact := map[string]any{}
		if m, ok := p.(map[string]any); ok && m["type"] != nil {
			compact["type"] = m["type"]
			if types, ok := m["type"].([]any); ok && len(types) == 2 && types[0] == "null" && omitted[name] {
				compact["type"] = types[1]
			}
		}
		s.Properties[name] = compact
	}
}

// handler binds the typed arguments, builds the operation from them and runs it; the result goes
// out as structured content with text, and any failure as an isError result with one clear line.
func handler[Args any, R any](d Deps, build func(Args) operation.Operation[R], text func(R) string) server.ToolHandlerFunc {
	return progressHandler(d,
		func(a Args, _ progress.Reporter) (operation.Operation[R], error) { return build(a), nil },
		text, func(R) error { return nil })
}

// ErrorResult is a tool result that tells the model what went wrong, in one line.
func ErrorResult(err error) *mcp.CallToolResult {
	return mcp.NewToolResultError(strings.TrimSpace(cluster.Explain(err).Error()))
}
