package testcluster

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

var buildOnce struct {
	sync.Once
	path string
	err  error
}

// PluginBinary builds kubectl-flux_mcp once per test process and returns its path, so that tests
// can run it as kubectl and assistants do: as a separate process.
func PluginBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			buildOnce.err = err
			return
		}
		dir, err := os.MkdirTemp("", "kfm-bin-")
		if err != nil {
			buildOnce.err = err
			return
		}
		buildOnce.path = filepath.Join(dir, "kubectl-flux_mcp")
		cmd := exec.Command("go", "build", "-o", buildOnce.path, "./cmd/kubectl-flux_mcp")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildOnce.err = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if buildOnce.err != nil {
		t.Fatal(buildOnce.err)
	}
	return buildOnce.path
}
