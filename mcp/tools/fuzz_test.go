package tools

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"k8s.io/cli-runtime/pkg/genericclioptions"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
)

// FuzzToolArguments sends arbitrary JSON arguments to every tool. Without a cluster every call
// must end as a tool result (most often an isError one), never a panic or a nil result.
func FuzzToolArguments(f *testing.F) {
	for _, seed := range []string{`{}`, `{"kind":"ks"}`, `{"kind":42}`, `{"kind":"ks","name":["a"]}`, `{"fields":"x"}`,
		`{"limit":-1}`, `{"limit":1e309}`, `{"timeout":"-1s"}`, `{"manifest":"{{{"}`, `{"patch":"{","type":"bogus"}`,
		`{"kind":"ks","all":true,"name":"a"}`, `{"depth":-3}`, `{"since":"forever"}`, `{"kind":null}`, `[]`, `"x"`, `null`} {
		f.Add(seed)
	}
	missing := "/nonexistent/kubeconfig"
	flags := genericclioptions.NewConfigFlags(false)
	flags.KubeConfig = &missing
	tools := All(Deps{Clients: cluster.NewCache(flags)})
	f.Fuzz(func(t *testing.T, raw string) {
		var args any
		if json.Unmarshal([]byte(raw), &args) != nil {
			return
		}
		for _, tool := range tools {
			req := mcp.CallToolRequest{}
			req.Params.Name, req.Params.Arguments = tool.Def.Name, args
			res, err := tool.Handler(context.Background(), req)
			if err != nil || res == nil {
				t.Fatalf("%s %s: result %v, error %v; want a tool result", tool.Def.Name, raw, res, err)
			}
		}
	})
}
