package explain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/openapi"
	"k8s.io/kubectl/pkg/util/term"
)

// Why not kubectl's own renderer (k8s.io/kubectl/pkg/explain/v2): it is a text/template, and a
// reachable template execution makes the Go linker keep every exported method of every type
// (text/template looks methods up by name), which was 12 MB of the binary and ~4.8 MiB of the
// resident memory of `serve` (docs/performance.md, "Dead code elimination"). This file prints the
// same text as kubectl's "plaintext" template, rule for rule; explain_parity_test.go compares the
// two over every Flux kind.

// renderError is an error the rendering itself reports (a field that does not exist), worded as
// kubectl words it.
type renderError string

func (e renderError) Error() string { return string(e) }

// printModelDescription writes the documentation of fields of gvr from the cluster's OpenAPI v3
// document, as kubectl explain prints it (recursive: field names only, nested).
func printModelDescription(fields []string, w io.Writer, client openapi.Client, gvr schema.GroupVersionResource, recursive bool) error {
	paths, err := client.Paths()
	if err != nil {
		return fmt.Errorf("failed to fetch list of groupVersions: %w", err)
	}
	resourcePath := "apis/" + gvr.Group + "/" + gvr.Version
	if gvr.Group == "" {
		resourcePath = "api/" + gvr.Version
	}
	gv, ok := paths[resourcePath]
	if !ok {
		return fmt.Errorf("couldn't find resource for \"%v\"", gvr)
	}
	raw, err := gv.Schema(runtime.ContentTypeJSON)
	if err != nil {
		return fmt.Errorf("failed to fetch openapi schema for %s: %w", resourcePath, err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return fmt.Errorf("failed to parse openapi schema for %s: %w", resourcePath, err)
	}
	r := &renderer{doc: doc, recursive: recursive}
	var b strings.Builder
	err = r.document(&b, gvr, fields)
	// On an error too, what was printed before it (the header) is written, as kubectl does.
	if _, werr := io.WriteString(w, b.String()); err == nil {
		err = werr
	}
	return err
}

type renderer struct {
	doc       map[string]any
	recursive bool
	// maxDepth limits recursion (0: none), as kubectl's --max-depth would.
	maxDepth int
}

// document prints the header (group, kind, version) and the schema of the kind found at the
// resource's paths.
func (r *renderer) document(b *strings.Builder, gvr schema.GroupVersionResource, fields []string) error {
	prefix := "/apis/" + gvr.Group
	if gvr.Group == "" {
		prefix = "/api"
	}
	base := prefix + "/" + gvr.Version
	var gvk any
	for _, p := range []string{
		base + "/" + gvr.Resource,
		base + "/" + gvr.Resource + "/{name}",
		base + "/namespaces/{namespace}/" + gvr.Resource,
		base + "/namespaces/{namespace}/" + gvr.Resource + "/{name}",
	} {
		item := asMap(index(r.doc, "paths", p))
		if !truthy(item) {
			continue
		}
		// As kubectl: the last value read wins, the first with a GVK ends a path's methods.
		for _, method := range []string{"get", "post", "put", "patch", "delete"} {
			op := asMap(item[method])
			if !truthy(op) {
				continue
			}
			gvk = op["x-kubernetes-group-version-kind"]
			if truthy(gvk) {
				break
			}
		}
	}
	if !truthy(gvk) {
		return renderError(fmt.Sprintf("error: GVR (%v) not found in OpenAPI schema", gvr.String()))
	}
	g := asMap(gvk)
	if truthy(g["group"]) {
		b.WriteString("GROUP:      " + str(g["group"]) + "\n")
	}
	b.WriteString("KIND:       " + str(g["kind"]) + "\n")
	b.WriteString("VERSION:    " + str(g["version"]) + "\n")
	b.WriteString("\n")
	out, err := r.schemaOf(gvk, fields)
	if err != nil {
		return err
	}
	if out == "" {
		return renderError(fmt.Sprintf("error: GVK %v not found in OpenAPI schema", gvk))
	}
	b.WriteString(out)
	b.WriteString("\n")
	return nil
}

// schemaOf prints the output of the first component schema of this GVK ("" if none has it).
func (r *renderer) schemaOf(gvk any, fields []string) (string, error) {
	schemas := asMap(index(r.doc, "components", "schemas"))
	for _, name := range sortedKeys(schemas) {
		s := schemas[name]
		if !listHas(index(s, "x-kubernetes-group-version-kind"), gvk) {
			continue
		}
		var b strings.Builder
		if err := r.output(&b, asMap(s), nil, fields); err != nil {
			return "", err
		}
		if b.Len() == 0 {
			last := ""
			if len(fields) > 0 {
				last = fields[len(fields)-1]
			}
			return "", renderError(fmt.Sprintf("error: field \"%v\" does not exist", last))
		}
		return b.String(), nil
	}
	return "", nil
}

// output follows fields down the schema, then prints the description and field list of where it
// ends; nothing when the path is not there.
func (r *renderer) output(b *strings.Builder, s map[string]any, history map[string]bool, fields []string) error {
	ref := refOf(s)
	next := with(history, ref)
	resolved := r.resolve(ref, s)
	switch {
	case len(fields) == 0:
		b.WriteString("DESCRIPTION:\n")
		desc := r.description(resolved)
		if desc == "" {
			desc = "<empty>"
		}
		b.WriteString(indent(4, wrap(76, desc)) + "\n")
		if ext := externalDocs(resolved, 0); ext != "" {
			b.WriteString("\n" + ext)
		}
		var fl strings.Builder
		if err := r.fieldList(&fl, resolved, 1, nil); err != nil {
			return err
		}
		if fl.Len() > 0 {
			b.WriteString("FIELDS:\n" + fl.String())
		}
	case ref != "" && history[ref]:
		// A cycle: stop.
	case truthy(resolved["properties"]) && truthy(index(resolved["properties"], fields[0])):
		sub := asMap(index(resolved["properties"], fields[0]))
		if len(fields) == 1 {
			t, err := r.typeGuess(sub)
			if err != nil {
				return err
			}
			b.WriteString("FIELD: " + fields[0] + " <" + t + ">\n")
			b.WriteString(enum(sub, true, -1, 0) + "\n\n")
		}
		return r.output(b, sub, map[string]bool{}, fields[1:])
	case truthy(resolved["items"]):
		return r.output(b, asMap(resolved["items"]), next, fields)
	case isSchema(resolved["additionalProperties"]):
		return r.output(b, asMap(resolved["additionalProperties"]), next, fields)
	default:
		for _, alt := range asList(resolved["allOf"]) {
			var ab strings.Builder
			if err := r.output(&ab, asMap(alt), next, fields); err != nil {
				return err
			}
			if ab.Len() > 0 {
				b.WriteString(ab.String())
				break
			}
		}
	}
	return nil
}

// fieldList prints the fields of a schema (and, recursive, their fields, indented), following
// references and stopping at cycles.
func (r *renderer) fieldList(b *strings.Builder, s map[string]any, level int, history map[string]bool) error {
	ref := refOf(s)
	if ref != "" && history[ref] {
		return nil
	}
	next := with(history, ref)
	resolved := r.resolve(ref, s)
	props := asMap(resolved["properties"])
	for _, name := range sortedKeys(props) {
		if err := r.fieldDetail(b, name, resolved, r.recursive, level); err != nil {
			return err
		}
		if r.recursive && (r.maxDepth == 0 || level < r.maxDepth) {
			if err := r.fieldList(b, asMap(props[name]), level+1, next); err != nil {
				return err
			}
		}
	}
	for _, alt := range asList(resolved["allOf"]) {
		if err := r.fieldList(b, asMap(alt), level, next); err != nil {
			return err
		}
	}
	if truthy(resolved["items"]) {
		if err := r.fieldList(b, asMap(resolved["items"]), level, next); err != nil {
			return err
		}
	}
	if isSchema(resolved["additionalProperties"]) {
		return r.fieldList(b, asMap(resolved["additionalProperties"]), level, next)
	}
	return nil
}

// fieldDetail prints one field: name, type, -required-, enum; and unless short its description.
func (r *renderer) fieldDetail(b *strings.Builder, name string, parent map[string]any, short bool, level int) error {
	n := level * 2
	field := asMap(index(parent["properties"], name))
	t, err := r.typeGuess(field)
	if err != nil {
		return err
	}
	b.WriteString(indent(n, name) + "\t<" + t + ">")
	if listHas(parent["required"], name) {
		b.WriteString(" -required-")
	}
	b.WriteString(enum(field, false, 4, n) + "\n")
	if short {
		return nil
	}
	desc := str(field["description"])
	if !truthy(field["description"]) {
		desc = "<no description>"
	}
	b.WriteString(indent(n+2, wrap(78-n, desc)) + "\n")
	if ext := asMap(field["externalDocs"]); truthy(ext) {
		b.WriteString("\n" + indent(n+2, "EXTERNAL DOCS:") + "\n")
		if truthy(ext["description"]) {
			b.WriteString(indent(n+4, wrap(76-n, str(ext["description"]))) + "\n")
		}
		if truthy(ext["url"]) {
			b.WriteString(indent(n+4, "URL: "+str(ext["url"])) + "\n")
		}
	}
	b.WriteString("\n")
	return nil
}

// description gathers the description of a schema and of what it is made of (allOf, items, map
// values), one per line.
func (r *renderer) description(s map[string]any) string {
	resolved := r.resolve(refOf(s), s)
	if !truthy(resolved) {
		return ""
	}
	var b strings.Builder
	if truthy(resolved["description"]) {
		b.WriteString(str(resolved["description"]) + "\n")
	}
	for _, alt := range asList(resolved["allOf"]) {
		b.WriteString(r.description(asMap(alt)))
	}
	if truthy(resolved["items"]) {
		b.WriteString(r.description(asMap(resolved["items"])))
	}
	if isSchema(resolved["additionalProperties"]) {
		b.WriteString(r.description(asMap(resolved["additionalProperties"])))
	}
	return b.String()
}

// typeGuess names a schema's type the way kubectl explain does: string, Object, []Object,
// map[string]string, or the name of a referenced object type.
func (r *renderer) typeGuess(s map[string]any) (string, error) {
	if !truthy(s) {
		return "", errors.New("expected schema argument to subtemplate 'typeguess'")
	}
	switch {
	case truthy(s["items"]):
		t, err := r.typeGuess(asMap(s["items"]))
		return "[]" + t, err
	case isSchema(s["additionalProperties"]):
		t, err := r.typeGuess(asMap(s["additionalProperties"]))
		return "map[string]" + t, err
	case truthy(s["allOf"]) && !truthy(s["properties"]) && len(asList(s["allOf"])) == 1:
		return r.typeGuess(asMap(asList(s["allOf"])[0]))
	case truthy(s["$ref"]):
		ref := str(s["$ref"])
		target := r.resolve(ref, nil)
		if !truthy(target) || !truthy(target["type"]) || target["type"] == "object" {
			name := ref[strings.LastIndex(ref, "/")+1:]
			if t := name[strings.LastIndex(name, ".")+1:]; t != "" {
				return t, nil
			}
			return "Object", nil
		}
		return str(target["type"]), nil
	case s["type"] == "object" || !truthy(s["type"]):
		return "Object", nil
	default:
		return str(s["type"]), nil
	}
}

// enum prints a schema's enum: one line "enum: a, b, c, d, ...." in a field list (long false,
// limit 4), or "ENUM:" and one value a line for a single field.
func enum(s map[string]any, long bool, limit, n int) string {
	values := asList(s["enum"])
	if !truthy(s) || len(values) == 0 {
		return ""
	}
	if limit == 0 {
		limit = -1
	}
	var b strings.Builder
	if long {
		b.WriteString("ENUM:")
	} else {
		b.WriteString("\n" + strings.Repeat(" ", n) + "enum: ")
	}
	for i, v := range values {
		if limit > -1 && i >= limit {
			b.WriteString(", ....")
			break
		}
		if i > 0 && !long {
			b.WriteString(", ")
		} else if long {
			b.WriteString("\n    ")
		}
		switch v {
		case "":
			b.WriteString(`""`)
		case nil:
			b.WriteString("<no value>")
		default:
			b.WriteString(str(v))
		}
	}
	return b.String()
}

// externalDocs prints a schema's external documentation section, if it has one.
func externalDocs(s map[string]any, n int) string {
	ext := asMap(s["externalDocs"])
	if !truthy(ext) {
		return ""
	}
	out := "EXTERNAL DOCS:\n"
	if truthy(ext["description"]) {
		out += indent(n+4, wrap(76, str(ext["description"]))) + "\n"
	}
	if truthy(ext["url"]) {
		out += indent(n+4, "URL: "+str(ext["url"])) + "\n"
	}
	return out
}

// resolve returns the schema a local reference (#/components/schemas/…) points to, or s when ref
// is not one or points nowhere.
func (r *renderer) resolve(ref string, s map[string]any) map[string]any {
	if target := r.lookup(ref); truthy(target) {
		return target
	}
	return s
}

func (r *renderer) lookup(ref string) map[string]any {
	if ref == "" {
		return nil
	}
	u, err := url.Parse(ref)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Path != "" || u.RawQuery != "" || u.Fragment == "" {
		return nil
	}
	cur := r.doc
	for _, k := range strings.Split(u.Fragment, "/") {
		if k == "" {
			continue
		}
		next, ok := cur[k].(map[string]any)
		if !ok {
			return nil
		}
		cur = next
	}
	return cur
}

func refOf(s map[string]any) string {
	if ref, ok := s["$ref"].(string); ok {
		return ref
	}
	return ""
}

// with returns a copy of history that also holds ref: siblings must not see each other's path.
func with(history map[string]bool, ref string) map[string]bool {
	out := make(map[string]bool, len(history)+1)
	for k := range history {
		out[k] = true
	}
	out[ref] = true
	return out
}

// wrap breaks text into lines of at most limit characters at spaces, as kubectl explain does.
func wrap(limit int, s string) string {
	var b bytes.Buffer
	_, _ = term.NewWordWrapWriter(&b, uint(max(limit, 0))).Write([]byte(s))
	return b.String()
}

// indent puts n spaces before every line of s.
func indent(n int, s string) string {
	pad := strings.Repeat(" ", n)
	return pad + strings.ReplaceAll(s, "\n", "\n"+pad)
}

// truthy is what kubectl's template treats as true: a non-empty, non-zero value.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case float64:
		return x != 0
	case map[string]any:
		return len(x) > 0
	case []any:
		return len(x) > 0
	default:
		return true
	}
}

// isSchema says whether additionalProperties holds a schema (not just true or false).
func isSchema(v any) bool {
	_, isBool := v.(bool)
	return truthy(v) && !isBool
}

func index(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func listHas(list, v any) bool {
	for _, x := range asList(list) {
		if reflect.DeepEqual(x, v) {
			return true
		}
	}
	return false
}

func str(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
