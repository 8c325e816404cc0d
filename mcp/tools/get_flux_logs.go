package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/logs"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

// defaultLogLimit keeps a log answer within what a model can read at once.
const defaultLogLimit = 100

type getFluxLogsArgs struct {
	Kind          string `json:"kind,omitempty"`
	Name          string `json:"name,omitempty"`
	Namespace     string `json:"namespace,omitempty"`
	Level         string `json:"level,omitempty" jsonschema:"info, error or debug"`
	Since         string `json:"since,omitempty"`
	Tail          int64  `json:"tail,omitempty" jsonschema:"Lines read per controller"`
	Limit         int    `json:"limit,omitempty"`
	FluxNamespace string `json:"flux_namespace,omitempty"`
	fleetArgs
}

func getFluxLogs(d Deps) Tool {
	return readTool(d, "get_flux_logs",
		"Flux controller logs about an object; level=error shows why it fails.",
		hints{title: "Get Flux controller logs", readOnly: true, destructive: false, idempotent: true, remote: true},
		func(a getFluxLogsArgs, context string) operation.Operation[*logs.Result] {
			limit := a.Limit
			if limit == 0 {
				limit = defaultLogLimit
			}
			return &logs.Options{Kind: a.Kind, Name: a.Name, Namespace: a.Namespace, Level: a.Level, Since: a.Since,
				Tail: a.Tail, Limit: limit, FluxNamespace: a.FluxNamespace, Context: context}
		}, func(r *logs.Result) string { return r.Text() })
}
