package main_test

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestLinkerDropsUnusedMethods guards the linker's dead-code elimination of methods. When a
// function that looks methods up by a name known only at run time (reflect's Method,
// MethodByName; text/template's field evaluation) is reachable, the linker keeps every exported
// method of every type: 12 MB more binary and ~5 MiB more resident for `serve`
// (docs/performance.md, "Dead code elimination"). The linker's dependency dump marks such
// functions <ReflectMethod>; none may be reachable.
func TestLinkerDropsUnusedMethods(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-dumpdep", "-o", filepath.Join(t.TempDir(), "kubectl-flux_mcp"), ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	var dump bytes.Buffer
	cmd.Stderr = &dump
	if err := cmd.Run(); err != nil {
		t.Fatalf("go build: %v\n%.2000s", err, dump.String())
	}
	found := map[string]bool{}
	sc := bufio.NewScanner(&dump)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	lines := 0
	for sc.Scan() {
		lines++
		for _, side := range strings.Split(sc.Text(), " -> ") {
			if name, ok := strings.CutSuffix(side, " <ReflectMethod>"); ok {
				found[name] = true
			}
		}
	}
	if lines < 1000 {
		t.Fatalf("the linker printed %d lines, not its dependency dump", lines)
	}
	if len(found) > 0 {
		names := make([]string, 0, len(found))
		for n := range found {
			names = append(names, n)
		}
		sort.Strings(names)
		t.Errorf("functions that keep every exported method are reachable (find the path with `go build -ldflags=-dumpdep`):\n%s", strings.Join(names, "\n"))
	}
}
