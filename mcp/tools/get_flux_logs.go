package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/logs"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

// defaultLogLimit keeps a log answer within what a model can read at once.
const defaultLogLimit = 100

type getFluxLogsArgs struct {
	Kind          string `json:"kind,omitempty" jsonschema:"Keep lines about this Flux kind, e.g. Kustomization, ks, HelmRelease, hr, GitRepository"`
	Name          string `json:"name,omitempty" jsonschema:"Keep lines about objects of this name"`
	Namespace     string `json:"namespace,omitempty" jsonschema:"Keep lines about objects in this namespace"`
	Level         string `json:"level,omitempty" jsonschema:"Keep lines of this level: info, error or debug"`
	Since         string `json:"since,omitempty" jsonschema:"Keep lines newer than this duration, e.g. 15m or 1h"`
	Tail          int64  `json:"tail,omitempty" jsonschema:"Lines to read from the end of each controller's log before filtering; omit to read all"`
	Limit         int    `json:"limit,omitempty" jsonschema:"Most matching lines to return, newest kept; default 100"`
	FluxNamespace string `json:"flux_namespace,omitempty" jsonschema:"Namespace where the Flux controllers run; default flux-system"`
	fleetArgs
}

func getFluxLogs(d Deps) Tool {
	return readTool(d, "get_flux_logs",
		"Read the Flux controller logs, filtered by the object they are about (kind, name, namespace), level and age. "+
			"Each line: TIME LEVEL CONTROLLER KIND/NAMESPACE/NAME MESSAGE. Use level=error to find why a reconciliation fails.",
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
