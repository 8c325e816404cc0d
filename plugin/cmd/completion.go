package cmd

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"k8s.io/kubectl/pkg/util/templates"
)

// binaryName is the name shells see when the plugin runs on its own, outside kubectl.
const binaryName = "kubectl-flux_mcp"

var (
	completionLong = templates.LongDesc(`
		Print a shell completion script for kubectl-flux_mcp, for bash, zsh, fish or powershell.

		Completion knows the Flux kinds, the names of the objects of a kind in the cluster (read live,
		with -n, -A, --context and --kubeconfig as typed), the namespaces and the kubeconfig contexts.

		For "kubectl flux-mcp <TAB>" (kubectl 1.26 and later) no script is needed: put the
		kubectl_complete-flux_mcp helper that ships in the release archive (kubectl_complete-flux_mcp.cmd
		on Windows) on PATH, next to the plugin; kubectl runs it to ask the plugin. The script printed here completes the plugin when it is run
		by its own name, kubectl-flux_mcp.`)

	completionExample = templates.Examples(`
		# Bash, in the current shell
		source <(kubectl-flux_mcp completion bash)

		# Zsh, for every new shell
		kubectl-flux_mcp completion zsh > "${fpath[1]}/_kubectl-flux_mcp"

		# Fish
		kubectl-flux_mcp completion fish > ~/.config/fish/completions/kubectl-flux_mcp.fish

		# PowerShell
		kubectl-flux_mcp completion powershell | Out-String | Invoke-Expression`)
)

// NewCompletionCommand prints shell completion scripts. Cobra's default completion command would
// name the program after the first word of "kubectl flux-mcp" and so take over kubectl's own
// completion; this one names it kubectl-flux_mcp.
func NewCompletionCommand(env *Env) *cobra.Command {
	gens := map[string]func(root *cobra.Command, w io.Writer) error{
		"bash":       func(r *cobra.Command, w io.Writer) error { return r.GenBashCompletionV2(w, true) },
		"zsh":        func(r *cobra.Command, w io.Writer) error { return r.GenZshCompletion(w) },
		"fish":       func(r *cobra.Command, w io.Writer) error { return r.GenFishCompletion(w, true) },
		"powershell": func(r *cobra.Command, w io.Writer) error { return r.GenPowerShellCompletionWithDesc(w) },
	}
	return &cobra.Command{
		Use:                   "completion bash|zsh|fish|powershell",
		DisableFlagsInUseLine: true,
		Short:                 "Print a shell completion script",
		Long:                  completionLong,
		Example:               completionExample,
		ValidArgs:             []string{"bash", "zsh", "fish", "powershell"},
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 || gens[args[0]] == nil {
				return fmt.Errorf("one shell is required: bash, zsh, fish or powershell")
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			root := c.Root()
			// The generators name the program after the root command; during generation only, that
			// is the binary's own name. The process ends right after.
			use := root.Use
			root.Use = binaryName
			defer func() { root.Use = use }()
			return gens[args[0]](root, env.Streams.Out)
		},
	}
}
