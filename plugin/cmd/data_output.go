package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/output"
)

// dataOutput is the -o flag of a command whose result is not a Kubernetes object: the default
// rendering for people, or the result itself as json or yaml.
func dataOutput(cmd *cobra.Command) *output.Flags {
	out := output.NewFlags(false)
	out.AddFlags(cmd)
	cmd.Flag("output").Usage = "Output format. One of: (json, yaml). Default: a view for people."
	// The printer flags for objects mean nothing for a result that is not one.
	for _, name := range []string{"template", "show-managed-fields", "allow-missing-template-keys"} {
		_ = cmd.Flags().MarkHidden(name)
	}
	return out
}

// validateDataOutput rejects formats other than json and yaml before the command does any work.
func validateDataOutput(out *output.Flags) error {
	switch out.Format() {
	case "", "json", "yaml":
		return nil
	}
	return fmt.Errorf("unknown output format %q: use json or yaml", out.Format())
}
