package mcp

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"regexp"
	"strings"
	"testing"
	"time"

	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/syncbuf"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cmd"
)

// cnLog is the password of a URL that reaches a log line; the tests look for it on stderr.
const cnLog = "cnry-log-7c2e95"

// failingWriter fails every write with an error that quotes a URL with its credentials, as an
// error a handler logs could.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) {
	return 0, errors.New("write to https://flux:" + cnLog + "@git.example.internal/org/app.git failed")
}

// mcp-go's stdio server logs the error of a message it could not answer on stderr; serve masks
// that line, and shows it as it is with --mask-secrets=false.
func TestStdioServerLogsAreMasked(t *testing.T) {
	for _, mask := range []bool{true, false} {
		var errOut syncbuf.Buffer
		env := cmd.NewEnv(genericiooptions.IOStreams{In: strings.NewReader("not json\n"), Out: failingWriter{}, ErrOut: &errOut})
		o := &ServeOptions{Transport: TransportStdio, Options: Options{MaskSecrets: mask}}
		if err := o.Run(context.Background(), env); err == nil {
			t.Fatalf("mask=%v: serve ended without the write error", mask)
		}
		logs := errOut.String()
		if !strings.Contains(logs, "Error handling message") {
			t.Fatalf("mask=%v: the stdio server's log did not reach serve's stderr: %q", mask, logs)
		}
		if strings.Contains(logs, cnLog) == mask {
			t.Errorf("mask=%v: stderr shows the canary: %v\n%s", mask, !mask, logs)
		}
	}
}

// mcp-go's SSE server logs through the standard logger: while serve runs, its lines go to serve's
// stderr, masked; the standard logger is restored when serve ends.
func TestStandardLoggerIsMaskedWhileServing(t *testing.T) {
	var errOut syncbuf.Buffer
	env := cmd.NewEnv(genericiooptions.IOStreams{In: bytes.NewReader(nil), Out: io.Discard, ErrOut: &errOut})
	o := &ServeOptions{Transport: TransportSSE, Port: 0, Options: Options{MaskSecrets: true}}
	before := log.Writer()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- o.Run(ctx, env) }()
	re := regexp.MustCompile(`http://127\.0\.0\.1:\d+/sse`)
	for i := 0; i < 100 && !re.MatchString(errOut.String()); i++ {
		time.Sleep(20 * time.Millisecond)
	}
	if !re.MatchString(errOut.String()) {
		cancel()
		t.Fatalf("serve did not start: %s", errOut.String())
	}
	log.Printf("panic recovered in SSE message handler for session s1: dial https://flux:%s@git.example.internal", cnLog)
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
	logs := errOut.String()
	if !strings.Contains(logs, "panic recovered in SSE message handler") || strings.Contains(logs, cnLog) {
		t.Errorf("the standard logger's line is missing or unmasked on serve's stderr:\n%s", logs)
	}
	if log.Writer() != before {
		t.Errorf("serve left the standard logger writing to its stderr")
	}
}
