package mcp_test

import (
	"bufio"
	"net"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

// serveListeners starts `kubectl-flux_mcp serve ARGS` and returns the host:port of each listener it
// reports on stderr (want of them); the process is killed with the test.
func serveListeners(t *testing.T, c *testcluster.Cluster, want int, args ...string) []string {
	t.Helper()
	cmd := exec.Command(testcluster.PluginBinary(t), append([]string{"serve", "--kubeconfig", c.Kubeconfig}, args...)...)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() })
	lines := bufio.NewScanner(stderr)
	var addrs, seen []string
	re := regexp.MustCompile(`serving MCP on http://(\S+)/(sse|mcp)`)
	for len(addrs) < want && lines.Scan() {
		seen = append(seen, lines.Text())
		if m := re.FindStringSubmatch(lines.Text()); m != nil {
			addrs = append(addrs, m[1])
		}
	}
	if len(addrs) != want {
		t.Fatalf("serve %v: want %d listeners, stderr:\n%s", args, want, strings.Join(seen, "\n"))
	}
	// Drain the rest, so that the server never blocks on a full pipe.
	go func() {
		for lines.Scan() {
		}
	}()
	return addrs
}

// refused fails the test unless nothing listens on addr.
func refused(t *testing.T, addr string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err == nil {
		_ = conn.Close()
		t.Errorf("something listens on %s", addr)
	}
}

// `serve --transport sse` as a person starts it: the stream at /sse on loopback (IPv4 and IPv6,
// so http://localhost:PORT/sse works), answering an MCP client; no streamable HTTP at /mcp.
func TestServeSSEBinary(t *testing.T) {
	c := testcluster.Get(t)
	addrs := serveListeners(t, c, 2, "--transport", "sse", "--port", "0")
	if !strings.HasPrefix(addrs[0], "127.0.0.1:") || !strings.HasPrefix(addrs[1], "[::1]:") {
		t.Fatalf("want listeners on 127.0.0.1 and [::1], got %v", addrs)
	}
	port := addrs[0][len("127.0.0.1:"):]
	for _, url := range []string{"http://localhost:" + port + "/sse", "http://" + addrs[0] + "/sse", "http://" + addrs[1] + "/sse"} {
		cl := httpClient(t, url)
		if res := call(t, cl, "get_flux_resources", map[string]any{"kind": "ks", "all_namespaces": true}); res.IsError {
			t.Errorf("%s: get_flux_resources: %s", url, text(res))
		}
	}
	if code, _ := get(t, "http://"+addrs[0]+"/mcp", "", ""); code != http.StatusNotFound {
		t.Errorf("sse transport: /mcp answered %d, want 404", code)
	}
}

// --address binds that address only, and the Host guard accepts it (and loopback names) but still
// rejects other names.
func TestServeAddressBinds(t *testing.T) {
	c := testcluster.Get(t)
	cases := []struct{ address, host string }{{"127.0.0.2", "127.0.0.2"}, {"::1", "[::1]"}}
	// A non-loopback address of this machine, when there is one, shows that Host may name it.
	if ifaddrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range ifaddrs {
			if ipn, ok := a.(*net.IPNet); ok && ipn.IP.To4() != nil && !ipn.IP.IsLoopback() && !ipn.IP.IsLinkLocalUnicast() {
				cases = append(cases, struct{ address, host string }{ipn.IP.String(), ipn.IP.String()})
				break
			}
		}
	}
	for _, tc := range cases {
		t.Run(tc.address, func(t *testing.T) {
			addrs := serveListeners(t, c, 1, "--transport", "sse", "--port", "0", "--address", tc.address)
			if !strings.HasPrefix(addrs[0], tc.host+":") {
				t.Fatalf("listener %v, want one on %s", addrs, tc.host)
			}
			port := addrs[0][len(tc.host)+1:]
			// Only the address: not the default loopback listeners.
			if tc.address != "127.0.0.1" {
				refused(t, "127.0.0.1:"+port)
			}
			if tc.address != "::1" {
				refused(t, "[::1]:"+port)
			}
			base := "http://" + addrs[0]
			if code, body := get(t, base+"/healthz", "", ""); code != http.StatusOK {
				t.Errorf("Host %s: %d %q", addrs[0], code, body)
			}
			if code, body := get(t, base+"/healthz", "localhost:"+port, ""); code != http.StatusOK {
				t.Errorf("Host localhost: %d %q", code, body)
			}
			for _, bad := range [][2]string{{"evil.example:" + port, ""}, {"", "http://evil.example"}} {
				if code, body := get(t, base+"/healthz", bad[0], bad[1]); code != http.StatusForbidden {
					t.Errorf("Host=%q Origin=%q: %d %q, want 403", bad[0], bad[1], code, body)
				}
			}
			cl := httpClient(t, base+"/sse")
			if res := call(t, cl, "get_flux_resources", map[string]any{"kind": "ks", "namespace": "default"}); res.IsError {
				t.Errorf("get_flux_resources: %s", text(res))
			}
		})
	}
}
