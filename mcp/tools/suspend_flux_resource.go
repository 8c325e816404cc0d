package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/progress"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/reconcile"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/suspend"
)

type suspendFluxResourceArgs struct {
	selectionArgs
}

func suspendFluxResource(d Deps) Tool {
	return Tool{
		Def: newTool[suspendFluxResourceArgs, reconcile.Result](d, "suspend_flux_resource",
			"Stop Flux reconciling objects until resumed.",
			hints{title: "Suspend Flux resource", readOnly: false, destructive: false, idempotent: true, remote: true}),
		Handler: progressHandler(d, func(a suspendFluxResourceArgs, rep progress.Reporter) (operation.Operation[*reconcile.Result], error) {
			return &suspend.Options{Kind: a.Kind, Selection: a.selection(), Namespace: a.Namespace, Context: a.Context, Reporter: rep}, nil
		}, (*reconcile.Result).Text, (*reconcile.Result).Err),
		Mutating: true,
	}
}
