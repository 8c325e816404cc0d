package main

import (
	"context"
	"encoding/json"
	"fmt"

	kfmmcp "github.com/kubectl-flux-mcp/kubectl-flux-mcp/mcp"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/get"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

const scMCPInProc = "where an MCP call's time goes: get_flux_resources in process (warm clients)"

// mcpInProcess splits a get_flux_resources call of our server into its parts, in process so that
// no pipe or scheduling noise is in the way: the whole call through the server (handler, result
// building, the secret-masking filter, encoding of the JSON-RPC answer), the same without the
// masking filter, and the get operation alone.
func (b *bench) mcpInProcess(ctx context.Context, size int) *Scenario {
	sc := &Scenario{Name: scMCPInProc, Size: size}
	req := []byte(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_flux_resources","arguments":{"kind":"Kustomization","all_namespaces":true}}}`)
	call := func(mask bool) func() (int64, error) {
		s := kfmmcp.NewServer(b.cache, kfmmcp.Options{MaskSecrets: mask})
		return func() (int64, error) {
			out, err := json.Marshal(s.HandleMessage(ctx, req))
			if err != nil {
				return 0, err
			}
			var r rpcResponse
			if err := json.Unmarshal(out, &r); err != nil || r.Error != nil || len(r.Result) == 0 {
				return 0, fmt.Errorf("tools/call in process failed: %s", firstLine(string(out)))
			}
			return int64(len(out)), nil
		}
	}
	sc.Rows = append(sc.Rows,
		b.timeFunc("tools/call through the server, answer encoded", true, call(true)),
		b.timeFunc("same, without the secret-masking filter (--mask-secrets=false)", false, call(false)),
		b.timeFunc("get operation alone, as the tool runs it (operation.Execute)", false, func() (int64, error) {
			_, err := operation.Execute(ctx, b.cache, &get.Options{Kind: "Kustomization", AllNamespaces: true, ItemsOnly: true, Limit: 30})
			return 0, err
		}),
	)
	return sc
}
