package mcp

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
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
// server listens on; it decides which Host names the guard accepts besides loopback ones. Requests
// pass the guard (403), then the token check when one is set (401), then the body limit (413).
func NewHTTPHandler(s *server.MCPServer, transport, address string, opts ...HTTPOption) *HTTPHandler {
	set := httpSettings{maxBody: DefaultMaxBodyBytes, sessionIdle: DefaultSessionIdleTTL}
	for _, o := range opts {
		o(&set)
	}
	h := &HTTPHandler{sse: server.NewSSEServer(s, server.WithSSEEndpoint("/sse"), server.WithMessageEndpoint("/message"))}
	mux := http.NewServeMux()
	mux.Handle("/sse", h.sse)
	mux.Handle("/message", h.sse)
	if transport == TransportHTTP {
		// Sessions end on DELETE, or after sessionIdle without a request or a message on their
		// stream; the heartbeat pings open notification streams (GET) so that only clients that
		// went away idle out, and their subscriptions stop with them. Stateful: a request in an
		// ended session gets 404 and the client starts a new one, instead of running in a session
		// the server no longer knows (without the client's capabilities, so without elicitation).
		h.streamable = server.NewStreamableHTTPServer(s, server.WithEndpointPath("/mcp"), server.WithStateful(true),
			server.WithSessionIdleTTL(set.sessionIdle), server.WithHeartbeatInterval(heartbeat(set.sessionIdle)), server.WithStreamableHTTPLogger(set.logger))
		mux.Handle("/mcp", h.streamable)
	}
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("ok\n"))
	})
	next := limitBody(set.maxBody, mux)
	if set.token != "" {
		next = requireToken(set.token, next)
	}
	h.Handler = newHostGuard(address).wrap(next)
	return h
}

// heartbeat is how often an open notification stream is pinged: often enough that a listening
// session never idles out, and at most every half minute, which also keeps proxies from closing it.
func heartbeat(ttl time.Duration) time.Duration {
	return min(ttl/3, 30*time.Second)
}

// CloseSessions ends every open SSE stream and streamable HTTP session. Shutdown needs it: an
// open stream never becomes idle, so http.Server.Shutdown would otherwise wait for its timeout.
func (h *HTTPHandler) CloseSessions(ctx context.Context) {
	h.sse.CloseSessions()
	if h.streamable != nil {
		// Shutdown, not only CloseSessions: it also stops the idle session sweeper. The handler
		// runs no http.Server of its own, so there is nothing else to shut down.
		_ = h.streamable.Shutdown(ctx)
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

// Timeouts of the HTTP server. There is no read or write timeout: SSE streams and long tool calls
// (a reconcile wait) legitimately last minutes; the header timeout stops slow-loris clients and the
// body limit bounds what a request can send.
const (
	readHeaderTimeout = 10 * time.Second
	idleTimeout       = 2 * time.Minute
	// shutdownGrace is how long SIGTERM waits for running tool calls before closing sessions.
	shutdownGrace = 30 * time.Second
	sseFlushDelay = 500 * time.Millisecond
)

func (o *ServeOptions) serveHTTP(ctx context.Context, env *cmd.Env, s *server.MCPServer, logs io.Writer) error {
	token, err := ReadAuthToken(o.AuthTokenFile)
	if err != nil {
		return err
	}
	var tlsConfig *tls.Config
	if o.TLSCertFile != "" {
		// Loaded before listening, so that a bad pair is one clear error and not a dead listener.
		cert, err := tls.LoadX509KeyPair(o.TLSCertFile, o.TLSKeyFile)
		if err != nil {
			return fmt.Errorf("cannot load --tls-cert-file/--tls-key-file: %w", err)
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	listeners, err := o.listen()
	if err != nil {
		return err
	}
	calls := NewCallTracker()
	s.Use(calls.Middleware)
	h := NewHTTPHandler(s, o.Transport, o.Address, WithAuthToken(token), WithLogWriter(logs))
	srv := &http.Server{Handler: h, ReadHeaderTimeout: o.timeout(o.readHeaderTimeout, readHeaderTimeout), IdleTimeout: o.timeout(o.idleTimeout, idleTimeout), TLSConfig: tlsConfig,
		ErrorLog: newLogger(logs)}
	scheme := "http"
	if o.TLSCertFile != "" {
		scheme = "https"
	}
	errs := make(chan error, len(listeners))
	for _, l := range listeners {
		if o.Transport == TransportHTTP {
			_, _ = fmt.Fprintf(env.Streams.ErrOut, "serving MCP on %s://%s/mcp (streamable HTTP) and /sse (SSE)\n", scheme, l.Addr())
		} else {
			_, _ = fmt.Fprintf(env.Streams.ErrOut, "serving MCP on %s://%s/sse (SSE)\n", scheme, l.Addr())
		}
		go func() {
			if o.TLSCertFile != "" {
				errs <- srv.ServeTLS(l, "", "")
			} else {
				errs <- srv.Serve(l)
			}
		}()
	}
	select {
	case <-ctx.Done():
		grace, cancel := context.WithTimeout(context.Background(), o.timeout(o.shutdownGrace, shutdownGrace))
		defer cancel()
		// Stop accepting first; Shutdown then waits for requests in flight (streamable HTTP calls).
		stopped := make(chan error, 1)
		go func() { stopped <- srv.Shutdown(grace) }()
		// SSE calls run outside their POST: wait for every running tool call, then end the streams,
		// which never become idle by themselves.
		if err := calls.Wait(grace); err != nil {
			_, _ = fmt.Fprintln(env.Streams.ErrOut, "tool calls still running after the shutdown grace period; stopping them")
		}
		// An SSE result is queued onto its stream just after the handler returns: give the
		// queue a moment to drain before the streams close.
		time.Sleep(sseFlushDelay)
		closing, cancelClose := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancelClose()
		h.CloseSessions(closing)
		select {
		case err := <-stopped:
			if err != nil && !errors.Is(err, context.DeadlineExceeded) {
				return fmt.Errorf("shutting down: %w", err)
			}
		case <-closing.Done():
			_ = srv.Close()
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

// timeout is the override when a test set one, else the default.
func (o *ServeOptions) timeout(override, def time.Duration) time.Duration {
	if override > 0 {
		return override
	}
	return def
}
