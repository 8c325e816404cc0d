package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/progress"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/reconcile"
)

type reconcileFluxResourceArgs struct {
	selectionArgs
	WithSource bool `json:"with_source,omitempty" jsonschema:"Reconcile the source first"`
	Force      bool `json:"force,omitempty" jsonschema:"HelmRelease: force upgrade"`
	Reset      bool `json:"reset,omitempty" jsonschema:"HelmRelease: reset retries"`
	waitArgs
}

func reconcileFluxResource(d Deps) Tool {
	return Tool{
		Def: newTool[reconcileFluxResourceArgs, reconcile.Result](d, "reconcile_flux_resource",
			"Reconcile Flux objects and wait: Ready, message, revision, duration of each.",
			hints{title: "Reconcile Flux resource", readOnly: false, destructive: false, idempotent: false, remote: true}),
		Handler: progressHandler(d, func(a reconcileFluxResourceArgs, rep progress.Reporter) (operation.Operation[*reconcile.Result], error) {
			timeout, err := a.timeout()
			if err != nil {
				return nil, err
			}
			return &reconcile.Options{Kind: a.Kind, Selection: a.selection(), Namespace: a.Namespace, WithSource: a.WithSource,
				Force: a.Force, Reset: a.Reset, Timeout: timeout, NoWait: a.noWait(), Context: a.Context, Reporter: rep}, nil
		}, (*reconcile.Result).Text, (*reconcile.Result).Err),
		Mutating: true,
	}
}
