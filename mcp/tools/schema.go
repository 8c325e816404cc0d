package tools

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
)

// schemas.json holds every tool's input schema as tools/list sends it, and the top level of its
// result's schema (sent as a plain object, see resultSchema; docs/tools.md shows it), generated from
// the tools' Go types by `go test ./mcp/tools -run GeneratedSchemas -update` (make docs runs it).
// Reflecting 20 argument and result types took ~12 ms of every server start, longer than all the
// rest of serve's start-up; reading this copy takes well under one. TestGeneratedSchemas fails
// when the copy and the types disagree, so the copy cannot drift.
//
//go:embed schemas.json
var generatedSchemasJSON []byte

// toolSchemas are a tool's input schema, as sent in tools/list, and its result's schema.
type toolSchemas struct {
	Input  json.RawMessage `json:"input"`
	Output json.RawMessage `json:"output"`
}

// generatedSchemas reads schemas.json. A copy that does not parse gives none, and every tool
// reflects its schemas instead: slower, never wrong.
func generatedSchemas() map[string]toolSchemas {
	var m map[string]toolSchemas
	if err := json.Unmarshal(generatedSchemasJSON, &m); err != nil {
		return nil
	}
	return m
}

// schemasFor returns tool name's schemas: the generated copy, else reflected from Args and Result.
// fleet adds the answer over several contexts to the output (see readTool).
func schemasFor[Args, Result any](d Deps, name string, fleet bool) toolSchemas {
	s, ok := d.schemas[name]
	if !ok {
		s = reflectSchemas[Args, Result](fleet)
	}
	if d.collect != nil {
		d.collect[name] = s
	}
	return s
}

// reflectSchemas builds the schemas from the Go types, compacted for tools/list.
func reflectSchemas[Args, Result any](fleet bool) toolSchemas {
	t := mcp.NewTool("", mcp.WithInputSchema[Args](), mcp.WithOutputSchema[Result]())
	out := t.OutputSchema
	compactOutputSchema(&out, omitEmpty(reflect.TypeFor[Result]()))
	if fleet {
		// Only one form is present, the single-context result or contexts: nothing is required.
		out.Properties["contexts"] = contextsSchema()
		out.Required = nil
	}
	raw, err := json.Marshal(out)
	if err != nil {
		// A schema of maps and strings always marshals; fall back to the loosest valid schema.
		raw = json.RawMessage(`{"type":"object"}`)
	}
	return toolSchemas{Input: compactInputSchema(t.RawInputSchema), Output: raw}
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
	props := make(map[string]any, len(s.Properties)+1)
	for name, p := range s.Properties {
		compact := map[string]any{}
		if m, ok := p.(map[string]any); ok && m["type"] != nil {
			compact["type"] = m["type"]
			if types, ok := m["type"].([]any); ok && len(types) == 2 && types[0] == "null" && omitted[name] {
				compact["type"] = types[1]
			}
		}
		props[name] = compact
	}
	s.Properties = props
}

// ResultFields are the top-level fields of a tool's structured result with their JSON types
// ("items": "array"), from schemas.json, for the documentation.
func ResultFields(tool string) (map[string]string, error) {
	s, ok := generatedSchemas()[tool]
	if !ok {
		return nil, fmt.Errorf("no generated schema for %s: run make docs", tool)
	}
	var out struct {
		Properties map[string]struct {
			Type any `json:"type"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(s.Output, &out); err != nil {
		return nil, fmt.Errorf("result schema of %s: %w", tool, err)
	}
	fields := make(map[string]string, len(out.Properties))
	for name, p := range out.Properties {
		switch t := p.Type.(type) {
		case string:
			fields[name] = t
		case []any:
			// ["null", "array"]: a list that may be null.
			fields[name] = fmt.Sprint(t[len(t)-1])
		default:
			fields[name] = "any"
		}
	}
	return fields, nil
}
