package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"
)

// mcpProc is an MCP server spawned over stdio, spoken to with plain newline-delimited JSON-RPC so
// that the bytes on the wire and the time to each response are what is measured, with no client
// library in between.
type mcpProc struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	stderr bytes.Buffer
	start  time.Time
	id     int
}

// rpcResponse is a JSON-RPC response: the raw line, decoded enough to check it.
type rpcResponse struct {
	ID     *int            `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	raw []byte
}

// spawnMCP starts the server; start is taken just before fork so that spawn times include exec.
func spawnMCP(argv, env []string) (*mcpProc, error) {
	p := &mcpProc{cmd: exec.Command(argv[0], argv[1:]...)}
	p.cmd.Env = env
	p.cmd.Stderr = &p.stderr
	in, err := p.cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	p.in, p.out = in, bufio.NewReaderSize(out, 1<<20)
	p.start = time.Now()
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	return p, nil
}

// call sends a request and waits for its response, skipping notifications and log messages.
func (p *mcpProc) call(method string, params any, timeout time.Duration) (*rpcResponse, error) {
	p.id++
	id := p.id
	if err := p.send(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params}); err != nil {
		return nil, err
	}
	// A hung server must not hang the benchmark: kill it, which ends the read below.
	timer := time.AfterFunc(timeout, func() { _ = p.cmd.Process.Kill() })
	defer timer.Stop()
	for {
		line, err := p.out.ReadBytes('\n')
		if err != nil {
			return nil, fmt.Errorf("%s: no response (%w); stderr: %s", method, err, firstLine(p.stderr.String()))
		}
		var r rpcResponse
		if json.Unmarshal(line, &r) != nil || r.ID == nil || *r.ID != id {
			continue
		}
		r.raw = line
		if r.Error != nil {
			return &r, fmt.Errorf("%s: error %d: %s", method, r.Error.Code, r.Error.Message)
		}
		return &r, nil
	}
}

func (p *mcpProc) notify(method string) error {
	return p.send(map[string]any{"jsonrpc": "2.0", "method": method})
}

func (p *mcpProc) send(msg any) error {
	b, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	_, err = p.in.Write(append(b, '\n'))
	return err
}

// initialize runs the handshake as an assistant does: initialize, then the initialized notification.
func (p *mcpProc) initialize() (*rpcResponse, error) {
	r, err := p.call("initialize", map[string]any{
		"protocolVersion": "2025-06-18",
		"capabilities":    map[string]any{},
		"clientInfo":      map[string]any{"name": "kfm-bench", "version": "0"},
	}, 30*time.Second)
	if err != nil {
		return nil, err
	}
	return r, p.notify("notifications/initialized")
}

// toolResult is the part of a tools/call result the benchmark checks.
type toolResult struct {
	IsError bool `json:"isError"`
	Content []struct {
		Text string `json:"text"`
	} `json:"content"`
}

// callTool calls a tool and fails on a tool error, so that a wrong argument is never timed as a
// fast answer.
func (p *mcpProc) callTool(name string, args map[string]any) (*rpcResponse, error) {
	r, err := p.call("tools/call", map[string]any{"name": name, "arguments": args}, 2*time.Minute)
	if err != nil {
		return nil, err
	}
	var tr toolResult
	if err := json.Unmarshal(r.Result, &tr); err != nil {
		return nil, fmt.Errorf("%s: undecodable result: %w", name, err)
	}
	if tr.IsError {
		var b strings.Builder
		for _, c := range tr.Content {
			b.WriteString(c.Text)
		}
		return nil, fmt.Errorf("%s: tool error: %s", name, firstLine(b.String()))
	}
	return r, nil
}

// close ends the server by closing its stdin (as a client does), and returns its peak RSS and its
// current anonymous RSS in KiB, read from /proc while it still runs: VmHWM belongs to the server's
// own address space, whereas its rusage would carry the benchmark's peak (see hack/bench/peakrss).
func (p *mcpProc) close() (hwm, anon int64) {
	hwm, anon = procStatus(p.cmd.Process.Pid, "VmHWM"), procStatus(p.cmd.Process.Pid, "RssAnon")
	_ = p.in.Close()
	done := make(chan struct{})
	go func() {
		_ = p.cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
	}
	return hwm, anon
}
