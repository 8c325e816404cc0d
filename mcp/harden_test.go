package mcp_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	mcpgo "github.com/mark3labs/mcp-go/mcp"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	tc "github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcontroller"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/mcp"
)

// hardenedServer serves in-process like httpServer, with HTTP options.
func hardenedServer(t *testing.T, c *testcluster.Cluster, opts ...mcp.HTTPOption) string {
	t.Helper()
	h := mcp.NewHTTPHandler(mcp.NewServer(testcluster.Cache(c.Kubeconfig), mcp.Options{MaskSecrets: true}), mcp.TransportHTTP, "", opts...)
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		h.CloseSessions(context.Background())
		srv.Close()
	})
	return srv.URL
}

func do(t *testing.T, hc *http.Client, method, url, token string, body io.Reader, contentLength int64) (int, http.Header, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, method, url, body)
	if contentLength != 0 {
		req.ContentLength = contentLength
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer func() { _ = resp.Body.Close() }()
	buf := make([]byte, 300)
	n, _ := io.ReadAtLeast(resp.Body, buf, 1)
	return resp.StatusCode, resp.Header, string(buf[:n])
}

const initBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"0"}}}`

func TestHTTPBearerToken(t *testing.T) {
	c := testcluster.Get(t)
	const token = "s3cret-token-value"
	base := hardenedServer(t, c, mcp.WithAuthToken(token))
	hc := http.DefaultClient
	if code, _, _ := do(t, hc, http.MethodGet, base+"/healthz", "", nil, 0); code != http.StatusOK {
		t.Errorf("/healthz without a token: %d, want 200", code)
	}
	for _, path := range []string{"/mcp", "/sse", "/message"} {
		for _, tok := range []string{"", "wrong", token + "x", token[:len(token)-1], strings.ToUpper(token)} {
			method := http.MethodPost
			if path == "/sse" {
				method = http.MethodGet
			}
			code, h, body := do(t, hc, method, base+path, tok, strings.NewReader(initBody), 0)
			if code != http.StatusUnauthorized || !strings.HasPrefix(h.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%s %s token %q: %d %q, want 401 with WWW-Authenticate", method, path, tok, code, body)
			}
		}
	}
	// "Basic" with the right token is not a bearer token.
	req, _ := http.NewRequest(http.MethodPost, base+"/mcp", strings.NewReader(initBody))
	req.Header.Set("Authorization", "Basic "+token)
	if resp, err := hc.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("Basic scheme: %v %v", resp, err)
	} else {
		_ = resp.Body.Close()
	}
	// Clients that send the token work over both transports.
	auth := map[string]string{"Authorization": "Bearer " + token}
	for _, cl := range []*client.Client{
		startClient(t, base+"/mcp", transport.WithHTTPHeaders(auth)),
		startSSEClient(t, base+"/sse", transport.WithHeaders(auth)),
	} {
		if res := call(t, cl, "list_kubernetes_contexts", map[string]any{}); res.IsError {
			t.Errorf("with the token: %s", text(res))
		}
	}
}

func startClient(t *testing.T, url string, opts ...transport.StreamableHTTPCOption) *client.Client {
	t.Helper()
	cl, err := client.NewStreamableHttpClient(url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return startAndInit(t, cl, url)
}

func startSSEClient(t *testing.T, url string, opts ...transport.ClientOption) *client.Client {
	t.Helper()
	cl, err := client.NewSSEMCPClient(url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return startAndInit(t, cl, url)
}

func TestHTTPBodyLimit(t *testing.T) {
	c := testcluster.Get(t)
	base := hardenedServer(t, c, mcp.WithMaxBodyBytes(1<<20))
	big := bytes.Repeat([]byte("x"), 1<<20+1)
	if code, _, body := do(t, http.DefaultClient, http.MethodPost, base+"/mcp", "", bytes.NewReader(big), 0); code != http.StatusRequestEntityTooLarge {
		t.Errorf("declared length over the limit: %d %q, want 413", code, body)
	}
	// Chunked: no Content-Length, the limit still holds while reading.
	if code, _, body := do(t, http.DefaultClient, http.MethodPost, base+"/mcp", "", io.MultiReader(bytes.NewReader(big)), -1); code != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked body over the limit: %d %q, want 413", code, body)
	}
	if code, _, body := do(t, http.DefaultClient, http.MethodPost, base+"/mcp", "", strings.NewReader(initBody), 0); code != http.StatusOK {
		t.Errorf("small body: %d %q", code, body)
	}
	// The default limit is 4 MiB: a 3 MiB manifest passes the HTTP layer and gets a tool answer.
	def := hardenedServer(t, c)
	cl := httpClient(t, def+"/mcp")
	res := call(t, cl, "apply_kubernetes_manifest", map[string]any{"manifest": "# " + strings.Repeat("y", 3<<20), "dry_run": true})
	if !res.IsError {
		t.Errorf("a comment-only manifest should be refused as empty: %s", text(res))
	}
	over := bytes.Repeat([]byte("z"), mcp.DefaultMaxBodyBytes+1)
	if code, _, _ := do(t, http.DefaultClient, http.MethodPost, def+"/mcp", "", bytes.NewReader(over), 0); code != http.StatusRequestEntityTooLarge {
		t.Errorf("default limit: %d, want 413", code)
	}
}

// serveBinary runs `serve ARGS` and returns the first listener's base URL and the stderr lines.
func serveBinary(t *testing.T, c *testcluster.Cluster, env []string, args ...string) (*exec.Cmd, string, *bufio.Scanner) {
	t.Helper()
	cmd := exec.Command(testcluster.PluginBinary(t), append([]string{"serve", "--port", "0", "--kubeconfig", c.Kubeconfig}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lines := bufio.NewScanner(stderr)
	re := regexp.MustCompile(`serving MCP on (https?://[^/\s]+)/`)
	var seen []string
	for lines.Scan() {
		seen = append(seen, lines.Text())
		if m := re.FindStringSubmatch(lines.Text()); m != nil {
			return cmd, m[1], lines
		}
	}
	_ = cmd.Wait()
	t.Fatalf("serve did not start: %s", strings.Join(seen, "\n"))
	return nil, "", nil
}

// selfSigned writes a certificate for localhost, 127.0.0.1 and ::1 and its key; it returns their
// paths and a pool that trusts the certificate.
func selfSigned(t *testing.T) (string, string, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "kfm-test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

func TestServeBinaryTLSAndTokenFile(t *testing.T) {
	c := testcluster.Get(t)
	certFile, keyFile, pool := selfSigned(t)
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte("file-token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, base, _ := serveBinary(t, c, nil, "--transport", "http", "--tls-cert-file", certFile, "--tls-key-file", keyFile, "--auth-token-file", tokenFile)
	if !strings.HasPrefix(base, "https://127.0.0.1:") {
		t.Fatalf("base URL %s, want https on loopback", base)
	}
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	if code, _, _ := do(t, hc, http.MethodGet, base+"/healthz", "", nil, 0); code != http.StatusOK {
		t.Errorf("/healthz over TLS: %d", code)
	}
	if code, _, _ := do(t, hc, http.MethodPost, base+"/mcp", "", strings.NewReader(initBody), 0); code != http.StatusUnauthorized {
		t.Errorf("/mcp over TLS without a token: %d, want 401", code)
	}
	// Plain HTTP to the TLS port is not served.
	plain := "http://" + strings.TrimPrefix(base, "https://")
	if code, _, _ := do(t, http.DefaultClient, http.MethodGet, plain+"/healthz", "", nil, 0); code != http.StatusBadRequest {
		t.Errorf("plain HTTP to the TLS port: %d, want 400", code)
	}
	cl := startClient(t, base+"/mcp", transport.WithHTTPBasicClient(hc), transport.WithHTTPHeaders(map[string]string{"Authorization": "Bearer file-token"}))
	if res := call(t, cl, "get_flux_resources", map[string]any{"kind": "ks", "all_namespaces": true}); res.IsError {
		t.Errorf("over TLS with the token: %s", text(res))
	}

	// The token from the environment, over plain HTTP.
	_, base2, _ := serveBinary(t, c, []string{mcp.AuthTokenEnv + "=env-token"}, "--transport", "http")
	if code, _, _ := do(t, http.DefaultClient, http.MethodPost, base2+"/mcp", "file-token", strings.NewReader(initBody), 0); code != http.StatusUnauthorized {
		t.Errorf("wrong token from env server: %d, want 401", code)
	}
	if code, _, body := do(t, http.DefaultClient, http.MethodPost, base2+"/mcp", "env-token", strings.NewReader(initBody), 0); code != http.StatusOK {
		t.Errorf("env token: %d %q", code, body)
	}
}

func TestServeFlagErrors(t *testing.T) {
	c := testcluster.Get(t)
	certFile, _, _ := selfSigned(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--transport", "http", "--tls-cert-file", certFile}, "--tls-cert-file and --tls-key-file go together"},
		{[]string{"--transport", "http", "--tls-cert-file", certFile, "--tls-key-file", certFile}, "cannot load --tls-cert-file/--tls-key-file"},
		{[]string{"--transport", "http", "--auth-token-file", "/nonexistent/token"}, "cannot read --auth-token-file"},
		{[]string{"--auth-token-file", certFile}, "not stdio"},
	} {
		cmd := exec.Command(testcluster.PluginBinary(t), append([]string{"serve", "--port", "0", "--kubeconfig", c.Kubeconfig}, tc.args...)...)
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), tc.want) || strings.Count(strings.TrimSpace(string(out)), "\n") > 0 {
			t.Errorf("%v: err=%v output %q, want one line with %q", tc.args, err, out, tc.want)
		}
	}
}

// TestServeSIGTERMLetsRunningCallsFinish: SIGTERM during a reconcile wait must not cut the call
// off, over streamable HTTP and SSE; the process then exits cleanly.
func TestServeSIGTERMLetsRunningCallsFinish(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "graceful")
	c.Create(t, tc.GitRepository(ns, "slow-a"))
	c.Create(t, tc.GitRepository(ns, "slow-b"))
	ctrl := tc.Start(t, c.Config, ns, "GitRepository")
	ctrl.Set("GitRepository", "slow-a", tc.Behaviour{Delay: 2 * time.Second})
	ctrl.Set("GitRepository", "slow-b", tc.Behaviour{Delay: 2 * time.Second})
	cmd, base, lines := serveBinary(t, c, nil, "--transport", "http")
	clients := map[string]*client.Client{"slow-a": httpClient(t, base+"/mcp"), "slow-b": httpClient(t, base+"/sse")}
	var wg sync.WaitGroup
	results := map[string]*mcpgo.CallToolResult{}
	errs := map[string]error{}
	var mu sync.Mutex
	for name, cl := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			req := mcpgo.CallToolRequest{}
			req.Params.Name = "reconcile_flux_resource"
			req.Params.Arguments = map[string]any{"kind": "gitrepository", "name": name, "namespace": ns, "timeout": "15s"}
			res, err := cl.CallTool(ctx, req)
			mu.Lock()
			defer mu.Unlock()
			results[name], errs[name] = res, err
		}()
	}
	time.Sleep(700 * time.Millisecond)
	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	for name := range clients {
		if errs[name] != nil || results[name] == nil || results[name].IsError {
			t.Errorf("%s: call cut off by SIGTERM: err=%v result=%v", name, errs[name], results[name])
		}
	}
	var rest strings.Builder
	for lines.Scan() {
		rest.WriteString(lines.Text() + "\n")
	}
	if err := cmd.Wait(); err != nil || time.Since(start) > 10*time.Second {
		t.Fatalf("exit after SIGTERM: %v after %v\n%s", err, time.Since(start), rest.String())
	}
	if time.Since(start) < time.Second {
		t.Errorf("stopped after %v, before the calls could finish", time.Since(start))
	}
	if !strings.Contains(rest.String(), "MCP server stopped") {
		t.Errorf("stderr: %s", rest.String())
	}
}
