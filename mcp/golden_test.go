package mcp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	mcpgo "github.com/mark3labs/mcp-go/mcp"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/mcp"
)

var update = flag.Bool("update", false, "rewrite the tools/list snapshots under testdata/ (go test ./mcp/ -run Golden -update)")

// TestGoldenToolsList pins what clients see in tools/list for each flag combination: names,
// titles, hints and input and output schemas (descriptions of the tools are left out, so that
// rewording one does not need a new snapshot; the schemas' field descriptions are part of it).
func TestGoldenToolsList(t *testing.T) {
	for file, o := range map[string]mcp.Options{
		"tools-default.json":   {MaskSecrets: true},
		"tools-read-only.json": {MaskSecrets: true, ReadOnly: true},
	} {
		got := toolsSnapshot(t, o)
		path := filepath.Join("testdata", file)
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (create it with: go test ./mcp/ -run Golden -update)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("tools/list differs from %s; if the change is intended, run: go test ./mcp/ -run Golden -update\n%s", path, firstDifference(want, got))
		}
	}
}

func toolsSnapshot(t *testing.T, o mcp.Options) []byte {
	t.Helper()
	kc := filepath.Join(t.TempDir(), "none")
	cl, err := client.NewInProcessClient(mcp.NewServer(testcluster.Cache(kc), o))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cl.Close() }()
	ctx := context.Background()
	if err := cl.Start(ctx); err != nil {
		t.Fatal(err)
	}
	initialize(t, ctx, cl)
	res, err := cl.ListTools(ctx, mcpgo.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var tools []map[string]any
	for _, tool := range res.Tools {
		raw, err := json.Marshal(tool)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		delete(m, "description")
		tools = append(tools, m)
	}
	out, err := json.MarshalIndent(tools, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}

// firstDifference shows the lines around the first difference, enough to see what changed.
func firstDifference(want, got []byte) string {
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	i := 0
	for i < len(w) && i < len(g) && w[i] == g[i] {
		i++
	}
	lo := max(0, i-2)
	return fmt.Sprintf("at line %d\nwant:\n%s\ngot:\n%s", i+1,
		strings.Join(w[lo:min(len(w), i+3)], "\n"), strings.Join(g[lo:min(len(g), i+3)], "\n"))
}

// TestToolsListFitsTheBudget keeps the tools/list answer, the JSON-RPC line a client reads into its
// context on every session, within the 12 KB that issue 5 sets (12,000 bytes, to be safe). The
// line is the server's own answer, marshalled as the stdio transport writes it.
func TestToolsListFitsTheBudget(t *testing.T) {
	const budget = 12000
	s := mcp.NewServer(testcluster.Cache(filepath.Join(t.TempDir(), "none")), mcp.Options{MaskSecrets: true})
	ctx := context.Background()
	s.HandleMessage(ctx, []byte(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"0"}}}`))
	line, err := json.Marshal(s.HandleMessage(ctx, []byte(`{"jsonrpc":"2.0","id":2,"method":"tools/list"}`)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(line, []byte(`"get_flux_resources"`)) {
		t.Fatalf("not a tools/list answer: %.200s", line)
	}
	t.Logf("tools/list: %d bytes", len(line))
	if len(line) > budget {
		t.Errorf("tools/list is %d bytes, over the budget of %d: shorten descriptions or move shared meanings into mcp.Instructions", len(line), budget)
	}
}
