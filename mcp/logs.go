package mcp

import (
	"io"
	"log"
	"log/slog"
)

// maskedLog is where the server's own logs go, mcp-go's among them: its stdio error logger
// quotes the errors and panics of message handling, its SSE server logs through the standard
// logger and its streamable HTTP server through slog. None of them passes the output filter, so
// with --mask-secrets each line is masked as a tool result's text is.
type maskedLog struct {
	w    io.Writer
	mask bool
}

// Write masks one log line (a logger writes each line with one call) and writes it. It reports
// the whole of p as written: the masked line may be shorter or longer.
func (m maskedLog) Write(p []byte) (int, error) {
	if !m.mask {
		return m.w.Write(p)
	}
	if _, err := io.WriteString(m.w, MaskText(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// logWriter is the writer of the server's logs: stderr, masked unless --mask-secrets=false.
func (o *ServeOptions) logWriter(stderr io.Writer) io.Writer {
	return maskedLog{w: stderr, mask: o.MaskSecrets}
}

// newLogger is a standard logger over w, in the format of mcp-go's default one.
func newLogger(w io.Writer) *log.Logger { return log.New(w, "", log.LstdFlags) }

// newSlogger is a structured logger over w, for the streamable HTTP server.
func newSlogger(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }
