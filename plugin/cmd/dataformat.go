package cmd

import (
	"fmt"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/output"
)

// validateDataFormat accepts a table, json or yaml: the formats a result that is not a Kubernetes
// object can be printed in. It runs before the operation, so that a bad -o costs no request.
func validateDataFormat(out *output.Flags) error {
	if err := out.Validate(); err != nil {
		return err
	}
	switch f := out.Format(); {
	case out.IsTable(), f == "json", f == "yaml":
		return nil
	default:
		return fmt.Errorf("output format %q is not supported here: use json or yaml", f)
	}
}
