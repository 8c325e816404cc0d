package main

import "strings"

// fluxOperatorVersion is the reference Flux MCP server measured when --flux-operator-mcp is given
// (built by hack/baselines/flux-operator-mcp.sh; AGPL, so only run as a separate process).
const fluxOperatorVersion = "v0.59.0"

// fluxOperatorMaxSize bounds its unfiltered listing: it renders every object as YAML, which took
// 7 s per call at 1,000 Kustomizations and 50 s at 5,000 on the reference machine.
const fluxOperatorMaxSize = 1000

// fluxOperatorFailing asks flux-operator-mcp what is failing the way its tools allow: it has no
// status filter, so one generic listing per kind that can fail (Kustomizations and HelmReleases
// here, the kinds the dataset fills), narrowed with its fields argument to the Ready condition, as
// its own tool description advises for size. The model still has to find the failing ones itself.
func (b *bench) fluxOperatorFailing(s mcpServer) *Row {
	fields := []string{
		`status.conditions[?(@.type=="Ready")].status`,
		`status.conditions[?(@.type=="Ready")].reason`,
		`status.conditions[?(@.type=="Ready")].message`,
	}
	var calls []toolCall
	var kinds []string
	for _, g := range b.gvrs {
		var kind string
		switch g.Resource {
		case "kustomizations":
			kind = "Kustomization"
		case "helmreleases":
			kind = "HelmRelease"
		default:
			continue
		}
		kinds = append(kinds, kind)
		calls = append(calls, toolCall{tool: "get_kubernetes_resources",
			args: map[string]any{"apiVersion": g.GroupVersion().String(), "kind": kind, "fields": fields}})
	}
	row := b.mcpCallSeq(s, s.name+": get_kubernetes_resources × "+strings.Join(kinds, ", ")+" with fields=Ready condition", calls)
	row.Calls = len(calls)
	return row
}
