package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/progress"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/reconcile"
)

type reconcileFluxResourceArgs struct {
	selectionArgs
	WithSource bool `json:"with_source,omitempty" jsonschema:"Reconcile the source first (GitRepository, OCIRepository, HelmChart…) and wait for its new artifact"`
	Force      bool `json:"force,omitempty" jsonschema:"HelmRelease only: force a one-off Helm install or upgrade"`
	Reset      bool `json:"reset,omitempty" jsonschema:"HelmRelease only: reset the failure counters so remediation starts over"`
	waitArgs
}

func reconcileFluxResource(d Deps) Tool {
	return Tool{
		Def: newTool[reconcileFluxResourceArgs, reconcile.Result]("reconcile_flux_resource",
			"Ask Flux to reconcile objects now and wait until the controller has: returns Ready, the controller's message, "+
				"the revision and the duration per object. Give name, names, all or label_selector. "+
				"Suspended objects are refused: resume them with resume_flux_resource.",
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
