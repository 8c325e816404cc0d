//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGitServerServesCommits checks the Git server alone (no cluster, no controllers): a clone over
// HTTP sees each pushed commit.
func TestGitServerServesCommits(t *testing.T) {
	g, err := startGitServer()
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	r := g.newRepo(t, "check")
	first := r.commit(t, "blue", manifests("blue"))
	clone := filepath.Join(t.TempDir(), "clone")
	gitRun(t, "", "clone", "--quiet", r.URL, clone)
	if head := strings.TrimSpace(gitRun(t, clone, "rev-parse", "HEAD")); head != first {
		t.Fatalf("cloned HEAD = %s, want %s", head, first)
	}
	second := r.commit(t, "green", manifests("green"))
	gitRun(t, clone, "pull", "--quiet", "--ff-only")
	if head := strings.TrimSpace(gitRun(t, clone, "rev-parse", "HEAD")); head != second {
		t.Fatalf("pulled HEAD = %s, want %s", head, second)
	}
	b, err := os.ReadFile(filepath.Join(clone, "deploy", "configmaps.yaml"))
	if err != nil || !strings.Contains(string(b), "color: green") {
		t.Fatalf("configmaps.yaml = %q, %v", b, err)
	}
}
