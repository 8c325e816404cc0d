package tools

import (
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/check"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

type checkFluxArgs struct {
	FluxNamespace string `json:"flux_namespace,omitempty"`
	fleetArgs
}

func checkFlux(d Deps) Tool {
	return readTool(d, "check_flux",
		"Check Flux: Kubernetes version, CRDs, controllers, FluxInstance.",
		hints{title: "Check Flux installation", readOnly: true, destructive: false, idempotent: true, remote: true},
		// Failed checks are the answer, not a tool error: the result says which and why.
		func(a checkFluxArgs, context string) operation.Operation[*check.Result] {
			return &check.Options{FluxNamespace: a.FluxNamespace, Context: context}
		}, func(r *check.Result) string { return r.Text() })
}
