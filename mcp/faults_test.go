package mcp_test

import (
	"bufio"
	"context"
	"io"
	"net"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

// proxy forwards TCP to the API server; stopping it makes the API server unreachable to the
// plugin exactly as a stopped server is (connection refused, open connections cut), and starting
// it again on the same port brings it back, without restarting the test cluster's certificates.
type proxy struct {
	addr, target string
	mu           sync.Mutex
	l            net.Listener
	conns        []net.Conn
}

func (p *proxy) start(t *testing.T) {
	t.Helper()
	l, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	p.l, p.addr = l, l.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			in, err := l.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", p.target)
			if err != nil {
				_ = in.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, in, out)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(out, in); _ = out.Close() }()
			go func() { _, _ = io.Copy(in, out); _ = in.Close() }()
		}
	}()
}

func (p *proxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.l.Close()
	for _, c := range p.conns {
		_ = c.Close()
	}
	p.conns = nil
}

// TestAPIServerDownAndBack: calls fail with one clear line while the API server is unreachable,
// change nothing, and succeed again in the same session once it is back.
func TestAPIServerDownAndBack(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "faults")
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	p, kc := proxied(t, c)
	cl := stdioClient(t, &testcluster.Cluster{Kubeconfig: kc}, "serve")
	get := map[string]any{"kind": "ks", "namespace": ns}
	if res := call(t, cl, "get_flux_resources", get); res.IsError {
		t.Fatalf("before: %s", text(res))
	}
	before := snapshot(t, c, ns)

	p.stop()
	for _, cc := range []struct {
		tool string
		args map[string]any
	}{
		{"get_flux_resources", get},
		{"get_kubernetes_resources", map[string]any{"kind": "configmaps", "namespace": ns}},
		{"suspend_flux_resource", map[string]any{"kind": "ks", "name": "apps", "namespace": ns}},
		{"apply_kubernetes_manifest", map[string]any{"manifest": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: down, namespace: " + ns + "}\n"}},
	} {
		start := time.Now()
		res := call(t, cl, cc.tool, cc.args)
		txt := text(res)
		if !res.IsError || strings.Count(strings.TrimSpace(txt), "\n") > 0 || !strings.Contains(txt, p.addr) && !strings.Contains(strings.ToLower(txt), "connect") {
			t.Errorf("%s while the API server is down: isError=%v %q, want one line naming the unreachable server", cc.tool, res.IsError, txt)
		}
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("%s took %v to fail", cc.tool, d)
		}
		t.Logf("%s: %s", cc.tool, txt)
	}

	p.start(t)
	deadline := time.Now().Add(20 * time.Second)
	for {
		res := call(t, cl, "get_flux_resources", get)
		if !res.IsError {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the session did not recover once the API server was back: %s", text(res))
		}
		time.Sleep(200 * time.Millisecond)
	}
	if after := snapshot(t, c, ns); after != before {
		t.Errorf("calls while the server was down changed the cluster:\n%s\n%s", before, after)
	}
}

// TestStdioDisconnectEndsTheProcess: when the client closes stdin the server exits at once, with 0.
func TestStdioDisconnectEndsTheProcess(t *testing.T) {
	c := testcluster.Get(t)
	cmd := exec.Command(testcluster.PluginBinary(t), "serve", "--kubeconfig", c.Kubeconfig)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	if _, err := io.WriteString(stdin, initBody+"\n"); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.Contains(line, `"serverInfo"`) {
		t.Fatalf("initialize: %q %v", line, err)
	}
	start := time.Now()
	_ = stdin.Close()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after stdin closed: %v", err)
		}
		t.Logf("exited %v after the client disconnected", time.Since(start))
	case <-time.After(5 * time.Second):
		t.Fatal("the server still runs 5s after its client closed stdin")
	}
}
