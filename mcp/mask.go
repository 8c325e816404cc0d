package mcp

import (
	"encoding/json"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
)

// Masked replaces every secret value that would otherwise leave the process.
const Masked = "****"

const lastApplied = "kubectl.kubernetes.io/last-applied-configuration"

// MaskResult masks Secret values in a tool result's structured content. Keys stay visible so that
// a model can still tell which values a Secret holds.
func MaskResult(res *mcp.CallToolResult) *mcp.CallToolResult {
	if res.StructuredContent == nil {
		return res
	}
	raw, err := json.Marshal(res.StructuredContent)
	if err != nil {
		// Unmarshalable content cannot be checked, so none of it leaves.
		return mcp.NewToolResultError("the result could not be checked for secrets and was withheld")
	}
	var generic any
	if err := json.Unmarshal(raw, &generic); err != nil {
		return mcp.NewToolResultError("the result could not be checked for secrets and was withheld")
	}
	res.StructuredContent = maskValue(generic)
	return res
}

// maskValue walks decoded JSON and masks every object that is a Secret.
func maskValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		if kind, _ := t["kind"].(string); kind == "Secret" {
			maskSecret(t)
		}
		for k, child := range t {
			t[k] = maskValue(child)
		}
	case []any:
		for i, child := range t {
			t[i] = maskValue(child)
		}
	}
	return v
}

func maskSecret(obj map[string]any) {
	for _, field := range []string{"data", "stringData"} {
		if m, ok := obj[field].(map[string]any); ok {
			for k := range m {
				m[k] = Masked
			}
		}
	}
	if md, ok := obj["metadata"].(map[string]any); ok {
		if ann, ok := md["annotations"].(map[string]any); ok {
			for k := range ann {
				if strings.EqualFold(k, lastApplied) {
					ann[k] = Masked
				}
			}
		}
	}
}
