package mcp

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// AuthTokenEnv names the environment variable that holds the bearer token when --auth-token-file
// is not given: a file keeps the token out of the process list, the variable suits containers.
const AuthTokenEnv = "KFM_MCP_AUTH_TOKEN"

// DefaultMaxBodyBytes bounds a request body. JSON-RPC requests are small; a client that sends more
// is broken or hostile, and reading it whole would let it fill memory.
const DefaultMaxBodyBytes = 4 << 20

// HTTPOption tunes NewHTTPHandler.
type HTTPOption func(*httpSettings)

type httpSettings struct {
	token       string
	maxBody     int64
	sessionIdle time.Duration
	// logger takes the streamable HTTP server's logs; nil is slog's default logger.
	logger *slog.Logger
}

// WithLogWriter sends the streamable HTTP server's logs to w (the masked stderr of serve).
func WithLogWriter(w io.Writer) HTTPOption {
	return func(s *httpSettings) { s.logger = newSlogger(w) }
}

// DefaultSessionIdleTTL is how long a streamable HTTP session may stay silent before the server
// ends it, with its subscriptions and watches: a client that went away without DELETE leaves
// nothing behind for longer. A client with its notification stream open is not silent: the server
// pings it on that stream well within the TTL.
const DefaultSessionIdleTTL = 10 * time.Minute

// WithSessionIdleTTL sets how long a streamable HTTP session may stay silent (DefaultSessionIdleTTL
// when not set).
func WithSessionIdleTTL(d time.Duration) HTTPOption {
	return func(s *httpSettings) { s.sessionIdle = d }
}

// WithAuthToken requires "Authorization: Bearer TOKEN" on every route but /healthz.
func WithAuthToken(token string) HTTPOption {
	return func(s *httpSettings) { s.token = token }
}

// WithMaxBodyBytes sets the request body limit (DefaultMaxBodyBytes when not set); larger bodies get 413.
func WithMaxBodyBytes(n int64) HTTPOption {
	return func(s *httpSettings) { s.maxBody = n }
}

// requireToken answers 401 unless the request carries the bearer token. The comparison is of
// SHA-256 digests in constant time, so that neither the token's bytes nor its length leak
// through response timing.
func requireToken(token string, next http.Handler) http.Handler {
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			next.ServeHTTP(w, r)
			return
		}
		auth := r.Header.Get("Authorization")
		scheme, got, ok := strings.Cut(auth, " ")
		gotSum := sha256.Sum256([]byte(strings.TrimSpace(got)))
		if !ok || !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare(want[:], gotSum[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="kubectl-flux-mcp"`)
			http.Error(w, "unauthorized: send the server's token as Authorization: Bearer TOKEN", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// limitBody answers 413 to a body over max bytes. The body is read here, whole, so that the
// transports never see a truncated JSON-RPC message (they would answer a vague 400).
func limitBody(maxBytes int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		if r.ContentLength > maxBytes {
			http.Error(w, fmt.Sprintf("request body too large: %d bytes, the limit is %d", r.ContentLength, maxBytes), http.StatusRequestEntityTooLarge)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBytes))
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				http.Error(w, fmt.Sprintf("request body too large: the limit is %d bytes", maxBytes), http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "cannot read the request body: "+err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

// ReadAuthToken returns the token of --auth-token-file, else of $KFM_MCP_AUTH_TOKEN, else "".
func ReadAuthToken(file string) (string, error) {
	if file == "" {
		return strings.TrimSpace(os.Getenv(AuthTokenEnv)), nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("cannot read --auth-token-file: %w", err)
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" {
		return "", fmt.Errorf("--auth-token-file %s is empty", file)
	}
	return tok, nil
}

// CallTracker counts the tool calls in flight so that a shutdown can wait for them.
type CallTracker struct {
	mu      sync.Mutex
	running int
	idle    chan struct{}
}

// NewCallTracker returns a tracker with no call running.
func NewCallTracker() *CallTracker {
	t := &CallTracker{idle: make(chan struct{})}
	close(t.idle)
	return t
}

func (t *CallTracker) start() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.running == 0 {
		t.idle = make(chan struct{})
	}
	t.running++
}

func (t *CallTracker) done() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.running--
	if t.running == 0 {
		close(t.idle)
	}
}

// Wait returns when no call runs, or with the context's error when it ends first.
func (t *CallTracker) Wait(ctx context.Context) error {
	t.mu.Lock()
	idle := t.idle
	t.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Middleware counts every tool call while it runs.
func (t *CallTracker) Middleware(next server.ToolHandlerFunc) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		t.start()
		defer t.done()
		return next(ctx, req)
	}
}
