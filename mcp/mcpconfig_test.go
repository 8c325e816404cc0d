package mcp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

// mcpConfig runs `kubectl-flux_mcp mcp config ARGS` as a person would, without KUBECONFIG.
func mcpConfig(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(testcluster.PluginBinary(t), append([]string{"mcp", "config"}, args...)...)
	cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=/nonexistent"}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("mcp config %v: %v\n%s", args, err, errOut.String())
	}
	return out.String(), errOut.String()
}

// contextKubeconfig copies the test kubeconfig and adds a context "other" whose namespace is ns.
func contextKubeconfig(t *testing.T, c *testcluster.Cluster, ns string) string {
	t.Helper()
	cfg, err := clientcmd.LoadFromFile(c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	other := cfg.Contexts[cfg.CurrentContext].DeepCopy()
	other.Namespace = ns
	cfg.Contexts["other"] = other
	p := filepath.Join(t.TempDir(), "kubeconfig")
	if err := clientcmd.WriteToFile(*cfg, p); err != nil {
		t.Fatal(err)
	}
	return p
}

// The snippet that `mcp config` prints starts a server that works: the assistant's view, end to end.
func TestMCPConfigStdioStartsTheServer(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "mcpconfig")
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	out, errOut := mcpConfig(t, "claude-code", "--kubeconfig", contextKubeconfig(t, c, ns), "--context", "other", "--read-only")
	var cfg struct {
		MCPServers map[string]struct {
			Type    string
			Command string
			Args    []string
		} `json:"mcpServers"`
	}
	if err := json.Unmarshal([]byte(out), &cfg); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	s := cfg.MCPServers["flux"]
	if s.Type != "stdio" || s.Command != testcluster.PluginBinary(t) || !strings.Contains(errOut, ".mcp.json") {
		t.Fatalf("config = %+v, stderr %q", cfg, errOut)
	}
	// Start it exactly as written, with no KUBECONFIG: the context's namespace comes from the args.
	cl, err := client.NewStdioMCPClient(s.Command, []string{"KUBECONFIG=", "HOME=" + t.TempDir()}, s.Args...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	initialize(t, ctx, cl)
	res := call(t, cl, "get_flux_resources", map[string]any{"kind": "ks"})
	if res.IsError || !strings.Contains(text(res), "apps") || !strings.Contains(text(res), "monitoring") {
		t.Fatalf("get_flux_resources through the configured server: isError=%v\n%s", res.IsError, text(res))
	}
}

func TestMCPConfigHTTPServeCommandAndURL(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "mcpconfig-http")
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	out, errOut := mcpConfig(t, "vscode", "--transport", "http", "--port", strconv.Itoa(port), "--kubeconfig", c.Kubeconfig)
	var cfg struct {
		Servers map[string]struct{ Type, URL, Command string } `json:"servers"`
	}
	if err := json.Unmarshal([]byte(out), &cfg); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	s := cfg.Servers["flux"]
	if s.Type != "http" || s.URL != "http://127.0.0.1:"+strconv.Itoa(port)+"/mcp" || s.Command != "" {
		t.Fatalf("config = %+v", cfg)
	}
	_, serveLine, ok := strings.Cut(errOut, "# start the server first: ")
	if !ok {
		t.Fatalf("no serve command on stderr: %q", errOut)
	}
	words := strings.Fields(serveLine)
	srv := exec.Command(words[0], words[1:]...)
	srv.Env = []string{"HOME=" + t.TempDir()}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Process.Kill(); _ = srv.Wait() })
	waitForPort(t, port)

	cl := httpClient(t, s.URL)
	res := call(t, cl, "get_flux_resources", map[string]any{"kind": "hr", "namespace": ns})
	if res.IsError || !strings.Contains(text(res), "podinfo") {
		t.Fatalf("get_flux_resources over the configured URL: isError=%v\n%s", res.IsError, text(res))
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func waitForPort(t *testing.T, port int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if conn, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port)); err == nil {
			_ = conn.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("server did not listen on port %d", port)
}
