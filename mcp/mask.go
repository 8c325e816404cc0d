package mcp

import (
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Masked replaces every secret value that would otherwise leave the process.
const Masked = "****"

const lastApplied = "kubectl.kubernetes.io/last-applied-configuration"

// withheld replaces a result that could not be checked: unchecked content never leaves.
func withheld() *mcp.CallToolResult {
	return mcp.NewToolResultError("the result could not be checked for secrets and was withheld")
}

// MaskResult is the output filter: it masks Secret values in the structured content and in every
// text, and secret-shaped strings (credentials in URLs, bearer tokens, private keys, password=…)
// everywhere. Keys stay visible so that a model can still tell which values a Secret holds.
func MaskResult(res *mcp.CallToolResult) *mcp.CallToolResult {
	values := secretValues{}
	if res.StructuredContent != nil {
		raw, err := json.Marshal(res.StructuredContent)
		if err != nil {
			return withheld()
		}
		var generic any
		if err := json.Unmarshal(raw, &generic); err != nil {
			return withheld()
		}
		res.StructuredContent = maskStrings(maskValue(generic, values))
	}
	for i, c := range res.Content {
		switch t := c.(type) {
		case mcp.TextContent:
			t.Text = maskText(t.Text, values)
			res.Content[i] = t
		case *mcp.TextContent:
			t.Text = maskText(t.Text, values)
		case mcp.EmbeddedResource:
			if r, ok := t.Resource.(mcp.TextResourceContents); ok {
				r.Text = maskText(r.Text, values)
				t.Resource = r
				res.Content[i] = t
			}
		}
	}
	return res
}

// MaskObject masks a Secret in place (any other object is left as it is). Operations call it on
// objects before they project fields out of them, where the output filter could not recognise them.
func MaskObject(obj *unstructured.Unstructured) {
	maskValue(obj.Object, secretValues{})
}

// maskValue walks decoded JSON and masks every object that is a Secret, noting the values.
func maskValue(v any, values secretValues) any {
	switch t := v.(type) {
	case map[string]any:
		if kind, _ := t["kind"].(string); kind == "Secret" {
			maskSecret(t, values)
		}
		for k, child := range t {
			t[k] = maskValue(child, values)
		}
	case []any:
		for i, child := range t {
			t[i] = maskValue(child, values)
		}
	}
	return v
}

func maskSecret(obj map[string]any, values secretValues) {
	for _, field := range []string{"data", "stringData"} {
		if m, ok := obj[field].(map[string]any); ok {
			for k, v := range m {
				values.add(v, field == "data")
				m[k] = Masked
			}
		}
	}
	if md, ok := obj["metadata"].(map[string]any); ok {
		if ann, ok := md["annotations"].(map[string]any); ok {
			for k, v := range ann {
				if strings.EqualFold(k, lastApplied) {
					values.add(v, false)
					ann[k] = Masked
				}
			}
		}
	}
}

// secretValues are the Secret values seen in a result, to be scrubbed from its text too.
type secretValues map[string]bool

// minScrub is the shortest value scrubbed from free text: shorter ones would mangle ordinary words,
// and the text renderings never print Secret values (projections are masked at the source).
const minScrub = 4

func (s secretValues) add(v any, base64Encoded bool) {
	str, ok := v.(string)
	if !ok || str == Masked {
		return
	}
	if len(str) >= minScrub {
		s[str] = true
	}
	if base64Encoded {
		if dec, err := base64.StdEncoding.DecodeString(str); err == nil && len(dec) >= minScrub {
			s[string(dec)] = true
			for _, line := range strings.Split(string(dec), "\n") {
				if line = strings.TrimSpace(line); len(line) >= minScrub {
					s[line] = true
				}
			}
		}
	}
}

// maskStrings applies the free-text patterns to every string in decoded JSON.
func maskStrings(v any) any {
	switch t := v.(type) {
	case string:
		return maskPatterns(t)
	case map[string]any:
		for k, child := range t {
			t[k] = maskStrings(child)
		}
	case []any:
		for i, child := range t {
			t[i] = maskStrings(child)
		}
	}
	return v
}
