package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"k8s.io/kubectl/pkg/util/templates"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/mcpconfig"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

var (
	mcpConfigLong = templates.LongDesc(`
		Print the configuration an AI assistant needs to use this plugin as an MCP server, ready to
		paste into the assistant's file: JSON, or TOML for codex. Assistants: ` + strings.Join(mcpconfig.Clients(), ", ") + `.

		By default the assistant starts the server itself over stdio, with the absolute path of this
		binary. With --transport http the snippet holds the URL instead, and the command that starts
		the server is printed on stderr. --read-only, --kube-as, --context and --kubeconfig are passed
		on to the server; without --kubeconfig, a KUBECONFIG set in the environment is.

		Which file takes the snippet is printed on stderr, so that stdout can go straight to a file.`)

	mcpConfigExample = templates.Examples(`
		# Claude Code, in this project, read-only
		kubectl flux-mcp mcp config claude-code --read-only

		# Codex, for one cluster only
		kubectl flux-mcp mcp config codex --context prod

		# VS Code talking to a server started separately over streamable HTTP
		kubectl flux-mcp mcp config vscode --transport http --port 8080`)
)

// NewMCPConfigCommand is the cobra face of the mcpconfig operation: `mcp config CLIENT`.
func NewMCPConfigCommand(env *Env) *cobra.Command {
	o := &mcpconfig.Options{}
	cmd := &cobra.Command{
		Use:                   "config CLIENT [--transport stdio|http] [--port N] [--read-only] [--kube-as USER]",
		DisableFlagsInUseLine: true,
		Short:                 "Print the MCP server configuration for an AI assistant",
		Long:                  mcpConfigLong,
		Example:               mcpConfigExample,
		ValidArgs:             mcpconfig.Clients(),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("one assistant is required: %s", strings.Join(mcpconfig.Clients(), ", "))
			}
			o.Client = args[0]
			res, err := operation.Execute(cmd.Context(), env.Clients, o)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Streams.ErrOut, "# %s: paste into %s\n", res.Client, res.Location)
			if res.Serve != "" {
				fmt.Fprintf(env.Streams.ErrOut, "# start the server first: %s\n", res.Serve)
			}
			_, err = fmt.Fprint(env.Streams.Out, res.Config)
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Transport, "transport", mcpconfig.TransportStdio, "How the assistant talks to the server: stdio (it starts the server) or http (it connects to a running server).")
	f.IntVar(&o.Port, "port", 8080, "Port of the server, for --transport http.")
	f.StringVar(&o.Name, "name", "flux", "Name of the server in the assistant's configuration.")
	f.BoolVar(&o.ReadOnly, "read-only", false, "Serve only the tools that do not change the cluster.")
	f.StringVar(&o.KubeAs, "kube-as", "", "User or service account the server impersonates, e.g. system:serviceaccount:NS:NAME.")
	_ = cmd.RegisterFlagCompletionFunc("transport", cobra.FixedCompletions([]string{mcpconfig.TransportStdio, mcpconfig.TransportHTTP}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}
