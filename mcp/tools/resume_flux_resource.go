package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/progress"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/reconcile"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/suspend"
)

type resumeFluxResourceArgs struct {
	selectionArgs
	waitArgs
}

func resumeFluxResource(d Deps) Tool {
	return Tool{
		Def: newTool[resumeFluxResourceArgs, reconcile.Result](d, "resume_flux_resource",
			"Resume suspended Flux objects and wait for their reconciliation.",
			hints{title: "Resume Flux resource", readOnly: false, destructive: false, idempotent: true, remote: true}),
		Handler: progressHandler(d, func(a resumeFluxResourceArgs, rep progress.Reporter) (operation.Operation[*reconcile.Result], error) {
			timeout, err := a.timeout()
			if err != nil {
				return nil, err
			}
			return &suspend.Options{Kind: a.Kind, Selection: a.selection(), Namespace: a.Namespace, Resume: true,
				Timeout: timeout, NoWait: a.noWait(), Context: a.Context, Reporter: rep}, nil
		}, (*reconcile.Result).Text, (*reconcile.Result).Err),
		Mutating: true,
	}
}
