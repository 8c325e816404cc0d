package tools

import (
	"encoding/json"
	"testing"
)

// TestArgumentDocs checks the documentation-only argument table against the tools: every entry
// names a real argument of a real tool (so that none outlives a rename), and every argument whose
// schema carries no description has a meaning (hack/gendocs would refuse it otherwise).
func TestArgumentDocs(t *testing.T) {
	args := map[string]map[string]string{} // tool -> argument -> schema description
	for _, tool := range All(Deps{}) {
		var s struct {
			Properties map[string]struct {
				Description string `json:"description"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(tool.Def.RawInputSchema, &s); err != nil {
			t.Fatalf("%s: %v", tool.Def.Name, err)
		}
		args[tool.Def.Name] = map[string]string{}
		for name, p := range s.Properties {
			args[tool.Def.Name][name] = p.Description
			if p.Description == "" && ArgumentDoc(tool.Def.Name, name) == "" {
				t.Errorf("%s.%s has no description in its schema nor in argdocs.go", tool.Def.Name, name)
			}
		}
	}
	for tool, m := range toolArgDocs() {
		for arg := range m {
			desc, ok := args[tool][arg]
			if !ok {
				t.Errorf("argdocs.go documents %s.%s, which the tool does not take", tool, arg)
			} else if desc != "" {
				t.Errorf("argdocs.go documents %s.%s, whose schema already says %q: the page shows the schema's", tool, arg, desc)
			}
		}
	}
	used := map[string]bool{}
	for _, m := range args {
		for arg := range m {
			used[arg] = true
		}
	}
	for arg := range sharedArgDocs {
		if !used[arg] {
			t.Errorf("argdocs.go documents %s, which no tool takes", arg)
		}
	}
}
