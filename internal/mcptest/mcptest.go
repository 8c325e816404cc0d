// Package mcptest holds the MCP client helpers that the protocol tests and the end-to-end suite share.
package mcptest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
)

// Call calls a tool and fails the test on a protocol error; tool errors come back as results.
func Call(t testing.TB, cl *client.Client, name string, args map[string]any, timeout time.Duration) *mcp.CallToolResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req := mcp.CallToolRequest{}
	req.Params.Name, req.Params.Arguments = name, args
	res, err := cl.CallTool(ctx, req)
	if err != nil {
		t.Fatalf("%s: protocol error %v", name, err)
	}
	return res
}

// Text joins the text content of a result.
func Text(res *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

// Serve starts the plugin binary as an assistant does, `BIN ARGS` over stdio with KUBECONFIG in its
// environment (and a HOME of its own), initializes the session and returns the client with the
// server's answer. The process ends with the test.
func Serve(t testing.TB, bin, kubeconfig string, args ...string) (*client.Client, *mcp.InitializeResult) {
	t.Helper()
	return ServeProtocol(t, mcp.LATEST_PROTOCOL_VERSION, bin, kubeconfig, args...)
}

// ServeProtocol is Serve for a client that asks for the given protocol version.
func ServeProtocol(t testing.TB, protocol, bin, kubeconfig string, args ...string) (*client.Client, *mcp.InitializeResult) {
	t.Helper()
	cl, err := client.NewStdioMCPClient(bin, []string{"KUBECONFIG=" + kubeconfig, "HOME=" + t.TempDir()}, args...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = protocol
	init.Params.ClientInfo = mcp.Implementation{Name: "kfm-test", Version: "0"}
	res, err := cl.Initialize(ctx, init)
	if err != nil {
		t.Fatalf("initialize: %v", err)
	}
	return cl, res
}
