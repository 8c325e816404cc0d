package mcp_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	mcpgo "github.com/mark3labs/mcp-go/mcp"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/mcp"
)

// httpServer serves the MCP server in-process on 127.0.0.1 over a transport (sse or http).
func httpServer(t *testing.T, c *testcluster.Cluster, transport string, o mcp.Options) string {
	t.Helper()
	h := mcp.NewHTTPHandler(mcp.NewServer(testcluster.Cache(c.Kubeconfig), o), transport, "")
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		h.CloseSessions(context.Background())
		srv.Close()
	})
	return srv.URL
}

// httpClient connects the mcp-go client over SSE (url ends in /sse) or streamable HTTP (/mcp).
func httpClient(t *testing.T, url string) *client.Client {
	t.Helper()
	var cl *client.Client
	var err error
	if strings.HasSuffix(url, "/sse") {
		cl, err = client.NewSSEMCPClient(url)
	} else {
		cl, err = client.NewStreamableHttpClient(url)
	}
	if err != nil {
		t.Fatal(err)
	}
	return startAndInit(t, cl, url)
}

// startAndInit starts an HTTP client and initializes its session; the client closes with the test.
func startAndInit(t *testing.T, cl *client.Client, url string) *client.Client {
	t.Helper()
	t.Cleanup(func() { _ = cl.Close() })
	// The SSE stream lives as long as the context given to Start.
	if err := cl.Start(context.Background()); err != nil {
		t.Fatalf("start %s: %v", url, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	initialize(t, ctx, cl)
	return cl
}

func initialize(t *testing.T, ctx context.Context, cl *client.Client) {
	t.Helper()
	init := mcpgo.InitializeRequest{}
	init.Params.ProtocolVersion = mcpgo.LATEST_PROTOCOL_VERSION
	init.Params.ClientInfo = mcpgo.Implementation{Name: "kfm-test", Version: "0"}
	res, err := cl.Initialize(ctx, init)
	if err != nil {
		t.Fatalf("initialize: %v", err)
	}
	if res.ServerInfo.Name != "kubectl-flux-mcp" {
		t.Fatalf("initialize result = %+v", res)
	}
}

func TestHTTPTransportsGetFluxResources(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "http")
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	sse := httpServer(t, c, mcp.TransportSSE, mcp.Options{MaskSecrets: true})
	both := httpServer(t, c, mcp.TransportHTTP, mcp.Options{MaskSecrets: true})
	for _, url := range []string{sse + "/sse", both + "/mcp", both + "/sse"} {
		cl := httpClient(t, url)
		res := call(t, cl, "get_flux_resources", map[string]any{"kind": "ks", "namespace": ns, "status_selector": "ready=false"})
		if res.IsError || !strings.Contains(text(res), "kustomization/apps") {
			t.Errorf("%s: isError=%v text=%q", url, res.IsError, text(res))
		}
	}
	// The SSE transport serves SSE only.
	if code, _ := get(t, sse+"/mcp", "", ""); code != http.StatusNotFound {
		t.Errorf("sse transport: /mcp answered %d, want 404", code)
	}
}

// get sends GET url with an optional Host and Origin and returns the status and the start of the body.
func get(t *testing.T, url, host, origin string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if host != "" {
		req.Host = host
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	// /sse streams forever: read only what the first event needs.
	buf := make([]byte, 200)
	n, _ := io.ReadAtLeast(resp.Body, buf, 1)
	return resp.StatusCode, string(buf[:n])
}

func TestHTTPRejectsDNSRebinding(t *testing.T) {
	c := testcluster.Get(t)
	base := httpServer(t, c, mcp.TransportHTTP, mcp.Options{})
	port := base[strings.LastIndex(base, ":")+1:]
	for _, path := range []string{"/healthz", "/sse", "/mcp"} {
		for _, bad := range [][2]string{{"evil.example", ""}, {"evil.example:" + port, ""}, {"", "http://evil.example"}, {"", "null"}, {"localhost:" + port, "http://evil.example:" + port}} {
			if code, body := get(t, base+path, bad[0], bad[1]); code != http.StatusForbidden {
				t.Errorf("%s Host=%q Origin=%q: status %d (%q), want 403", path, bad[0], bad[1], code, body)
			}
		}
	}
	for _, good := range [][2]string{{"", ""}, {"localhost:" + port, ""}, {"127.0.0.1:" + port, "http://localhost:3000"}, {"[::1]:" + port, "http://[::1]:" + port}, {"LOCALHOST", "http://127.0.0.1"}} {
		if code, body := get(t, base+"/healthz", good[0], good[1]); code != http.StatusOK {
			t.Errorf("Host=%q Origin=%q: status %d (%q), want 200", good[0], good[1], code, body)
		}
		if code, body := get(t, base+"/sse", good[0], good[1]); code != http.StatusOK || !strings.Contains(body, "event: endpoint") {
			t.Errorf("/sse Host=%q Origin=%q: status %d (%q), want the endpoint event", good[0], good[1], code, body)
		}
	}
}

// TestServeHTTPBinaryLoopbackAndSIGTERM runs the binary as a person would: it must listen on
// loopback (reachable as localhost on IPv4 and IPv6) and stop cleanly on SIGTERM with a client connected.
func TestServeHTTPBinaryLoopbackAndSIGTERM(t *testing.T) {
	c := testcluster.Get(t)
	cmd := exec.Command(testcluster.PluginBinary(t), "serve", "--transport", "http", "--port", "0", "--kubeconfig", c.Kubeconfig)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lines := bufio.NewScanner(stderr)
	var addrs []string
	re := regexp.MustCompile(`serving MCP on http://(\S+)/mcp`)
	for len(addrs) < 2 && lines.Scan() {
		if m := re.FindStringSubmatch(lines.Text()); m != nil {
			addrs = append(addrs, m[1])
		}
	}
	if len(addrs) != 2 || !strings.HasPrefix(addrs[0], "127.0.0.1:") || !strings.HasPrefix(addrs[1], "[::1]:") {
		t.Fatalf("want listeners on 127.0.0.1 and [::1], got %v", addrs)
	}
	port := addrs[0][len("127.0.0.1:"):]
	if addrs[1] != "[::1]:"+port {
		t.Errorf("IPv6 listener %s is not on the IPv4 port %s", addrs[1], port)
	}
	for _, a := range addrs {
		if code, _ := get(t, "http://"+a+"/healthz", "", ""); code != http.StatusOK {
			t.Errorf("%s/healthz: %d", a, code)
		}
	}
	cl := httpClient(t, "http://localhost:"+port+"/sse")
	if res := call(t, cl, "get_flux_resources", map[string]any{"kind": "ks", "all_namespaces": true}); res.IsError {
		t.Fatalf("get_flux_resources: %s", text(res))
	}
	_ = httpClient(t, "http://localhost:"+port+"/mcp")

	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var rest strings.Builder
	for lines.Scan() {
		rest.WriteString(lines.Text() + "\n")
	}
	err := cmd.Wait()
	if err != nil || time.Since(start) > 5*time.Second {
		t.Fatalf("after SIGTERM: err=%v after %v, stderr:\n%s", err, time.Since(start), rest.String())
	}
	if !strings.Contains(rest.String(), "MCP server stopped") {
		t.Errorf("stderr after SIGTERM:\n%s", rest.String())
	}
}
