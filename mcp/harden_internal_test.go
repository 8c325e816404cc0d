package mcp

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"regexp"
	"testing"
	"time"

	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/syncbuf"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cmd"
)

// A client that never finishes its headers is dropped after the header timeout (slow loris).
func TestReadHeaderTimeoutDropsSlowClients(t *testing.T) {
	conn := dialServe(t, &ServeOptions{Transport: TransportHTTP, Port: 0, readHeaderTimeout: 300 * time.Millisecond})
	start := time.Now()
	if _, err := conn.Write([]byte("GET /healthz HTTP/1.1\r\nHost: localhost\r\n")); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err := io.ReadAll(conn)
	if err != nil || time.Since(start) > 3*time.Second {
		t.Fatalf("connection with unfinished headers: err=%v after %v, want closed after ~300ms", err, time.Since(start))
	}
}

// A keep-alive connection left idle after its response is closed after the idle timeout, so that
// clients that went away do not hold connections open.
func TestIdleTimeoutClosesIdleConnections(t *testing.T) {
	conn := dialServe(t, &ServeOptions{Transport: TransportHTTP, Port: 0, idleTimeout: 300 * time.Millisecond})
	if _, err := conn.Write([]byte("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Close {
		t.Fatalf("/healthz: %s, close=%v; want 200 on a kept-alive connection", resp.Status, resp.Close)
	}
	// The response was read whole: the next read sees the server close the idle connection.
	idle := time.Now()
	n, err := conn.Read(make([]byte, 1))
	if n != 0 || !errors.Is(err, io.EOF) || time.Since(idle) > 3*time.Second {
		t.Fatalf("idle connection: read %d bytes, err=%v after %v; want closed after ~300ms", n, err, time.Since(idle))
	}
}

// dialServe runs o in process over HTTP and returns a raw TCP connection to it; the server stops
// and the connection closes with the test.
func dialServe(t *testing.T, o *ServeOptions) net.Conn {
	t.Helper()
	var errOut syncbuf.Buffer
	env := cmd.NewEnv(genericiooptions.IOStreams{In: bytes.NewReader(nil), Out: io.Discard, ErrOut: &errOut})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- o.Run(ctx, env) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	re := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/mcp`)
	var addr string
	for i := 0; i < 100 && addr == ""; i++ {
		if m := re.FindStringSubmatch(errOut.String()); m != nil {
			addr = m[1]
		}
		time.Sleep(20 * time.Millisecond)
	}
	if addr == "" {
		t.Fatalf("serve did not start: %s", errOut.String())
	}
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}
