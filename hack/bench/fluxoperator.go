package main

// fluxOperatorVersion is the reference Flux MCP server measured when --flux-operator-mcp is given.
const fluxOperatorVersion = "v0.59.0"

// fluxOperatorFailing asks flux-operator-mcp for the failing objects.
func (b *bench) fluxOperatorFailing(s mcpServer) *Row {
	return &Row{Name: s.name, Err: "not measured yet"}
}
