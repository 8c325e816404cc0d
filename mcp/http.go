package mcp

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cmd"
)

// HTTPHandler serves the MCP server over HTTP: /sse and /message (SSE), /mcp (streamable HTTP,
// only for the http transport) and /healthz, all behind the Host and Origin guard.
type HTTPHandler struct {
	http.Handler
	sse        *server.SSEServer
	streamable *server.StreamableHTTPServer
}

// NewHTTPHandler returns the routes of a transport (sse or http). address is the --address the
// server listens on; it decides which Host names the guard accepts besides loopback ones.
func NewHTTPHandler(s *server.MCPServer, transport, address string) *HTTPHandler {
	h := &HTTPHandler{sse: server.NewSSEServer(s, server.WithSSEEndpoint("/sse"), server.WithMessageEndpoint("/message"))}
	mux := http.NewServeMux()
	mux.Handle("/sse", h.sse)
	mux.Handle("/message", h.sse)
	if transport == TransportHTTP {
		h.streamable = server.NewStreamableHTTPServer(s, server.WithEndpointPath("/mcp"))
		mux.Handle("/mcp", h.streamable)
	}
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("ok\n"))
	})
	h.Handler = newHostGuard(address).wrap(mux)
	return h
}

// CloseSessions ends every open SSE stream and streamable HTTP session. Shutdown needs it: an
// open stream never becomes idle, so http.Server.Shutdown would otherwise wait for its timeout.
func (h *HTTPHandler) CloseSessions(ctx context.Context) {
	h.sse.CloseSessions()
	if h.streamable != nil {
		h.streamable.CloseSessions(ctx)
	}
}

// listen opens the listeners: the --address, or loopback on IPv4 and IPv6 on the same port so
// that http://localhost:PORT works whichever address localhost resolves to.
func (o *ServeOptions) listen() ([]net.Listener, error) {
	if o.Address != "" {
		l, err := net.Listen("tcp", net.JoinHostPort(o.Address, strconv.Itoa(o.Port)))
		if err != nil {
			return nil, fmt.Errorf("cannot listen on %s: %w", net.JoinHostPort(o.Address, strconv.Itoa(o.Port)), err)
		}
		return []net.Listener{l}, nil
	}
	l4, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(o.Port)))
	if err != nil {
		return nil, fmt.Errorf("cannot listen on 127.0.0.1:%d: %w", o.Port, err)
	}
	// With --port 0 the IPv6 listener takes the port the IPv4 one was given.
	port := l4.Addr().(*net.TCPAddr).Port
	l6, err := net.Listen("tcp", net.JoinHostPort("::1", strconv.Itoa(port)))
	if err != nil {
		// A host without IPv6 loopback still serves on IPv4.
		return []net.Listener{l4}, nil
	}
	return []net.Listener{l4, l6}, nil
}

func (o *ServeOptions) serveHTTP(ctx context.Context, env *cmd.Env, s *server.MCPServer) error {
	listeners, err := o.listen()
	if err != nil {
		return err
	}
	h := NewHTTPHandler(s, o.Transport, o.Address)
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	errs := make(chan error, len(listeners))
	for _, l := range listeners {
		if o.Transport == TransportHTTP {
			_, _ = fmt.Fprintf(env.Streams.ErrOut, "serving MCP on http://%s/mcp (streamable HTTP) and /sse (SSE)\n", l.Addr())
		} else {
			_, _ = fmt.Fprintf(env.Streams.ErrOut, "serving MCP on http://%s/sse (SSE)\n", l.Addr())
		}
		go func() { errs <- srv.Serve(l) }()
	}
	select {
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		h.CloseSessions(shutdown)
		if err := srv.Shutdown(shutdown); err != nil {
			return fmt.Errorf("shutting down: %w", err)
		}
		_, _ = fmt.Fprintln(env.Streams.ErrOut, "MCP server stopped")
		return nil
	case err := <-errs:
		for _, l := range listeners {
			_ = l.Close()
		}
		return err
	}
}
