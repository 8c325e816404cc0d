package tools

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"testing"
)

var updateSchemas = flag.Bool("update", false, "rewrite schemas.json from the tools' Go types (go test ./mcp/tools -run GeneratedSchemas -update)")

// TestGeneratedSchemas keeps schemas.json equal to what the tools' Go types give, and checks that
// every tool takes its schemas from it, so that no server start pays for reflection.
func TestGeneratedSchemas(t *testing.T) {
	reflected := map[string]toolSchemas{}
	All(Deps{ReflectSchemas: true, collect: reflected})
	want, err := json.MarshalIndent(reflected, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
	if *updateSchemas {
		if err := os.WriteFile("schemas.json", want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("schemas.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("schemas.json is not what the tools' types give: run go test ./mcp/tools -run GeneratedSchemas -update (or make docs)")
	}
	generated := generatedSchemas()
	for _, tool := range All(Deps{}) {
		g, ok := generated[tool.Def.Name]
		if !ok {
			t.Errorf("%s has no generated schemas", tool.Def.Name)
			continue
		}
		if !bytes.Equal(tool.Def.RawInputSchema, g.Input) {
			t.Errorf("%s does not use its generated input schema", tool.Def.Name)
		}
		if !bytes.Equal(tool.Def.RawOutputSchema, resultSchema) {
			t.Errorf("%s sends output schema %s, want %s", tool.Def.Name, tool.Def.RawOutputSchema, resultSchema)
		}
	}
}
