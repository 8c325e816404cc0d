//go:build e2e

package e2e

import (
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitServer serves the bare repositories under root over Git's smart HTTP protocol: `git
// http-backend` behind net/http/cgi, as a Git host does, so the source-controller clones with its
// own Git client over the network.
type gitServer struct {
	srv  *httptest.Server
	root string
}

func startGitServer() (*gitServer, error) {
	git, err := exec.LookPath("git")
	if err != nil {
		return nil, err
	}
	root, err := os.MkdirTemp("", "kfm-e2e-git-")
	if err != nil {
		return nil, err
	}
	h := &cgi.Handler{
		Path: git,
		Args: []string{"http-backend"},
		Env:  []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1", "GIT_CONFIG_NOSYSTEM=1", "HOME=" + root},
	}
	return &gitServer{srv: httptest.NewServer(h), root: root}, nil
}

func (g *gitServer) Close() {
	g.srv.Close()
	_ = os.RemoveAll(g.root)
}

// repo is one repository: a bare repository the server serves and a work tree the test commits in
// and pushes from.
type repo struct {
	URL  string
	bare string
	work string
}

// newRepo creates the repository NAME.git, served at URL.
func (g *gitServer) newRepo(t *testing.T, name string) *repo {
	t.Helper()
	r := &repo{URL: g.srv.URL + "/" + name + ".git", bare: filepath.Join(g.root, name+".git"), work: t.TempDir()}
	gitRun(t, "", "init", "--quiet", "--bare", "--initial-branch=main", r.bare)
	gitRun(t, r.work, "init", "--quiet", "--initial-branch=main")
	return r
}

// commit writes files (path -> content; empty content removes the file), commits them on main,
// pushes and returns the commit's SHA.
func (r *repo) commit(t *testing.T, msg string, files map[string]string) string {
	t.Helper()
	for p, content := range files {
		full := filepath.Join(r.work, p)
		if content == "" {
			_ = os.Remove(full)
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gitRun(t, r.work, "add", "--all")
	gitRun(t, r.work, "commit", "--quiet", "-m", msg)
	gitRun(t, r.work, "push", "--quiet", r.bare, "main")
	return strings.TrimSpace(gitRun(t, r.work, "rev-parse", "HEAD"))
}

func gitRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=e2e", "-c", "user.email=e2e@example.invalid", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}
