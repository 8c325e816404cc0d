// Package cmd holds the cobra face of every operation: each file turns flags into an operation's
// Options, runs it and prints its Result for people. The operations themselves live in their own
// packages so that the MCP server can run them too.
package cmd

import (
	"flag"
	"io"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/klog/v2"
	"k8s.io/kubectl/pkg/util/templates"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
)

// Env is what every command shares: the streams, the kubectl connection flags and the client cache.
// It is created once in main; nothing here is package-level state.
type Env struct {
	Streams genericiooptions.IOStreams
	Flags   *genericclioptions.ConfigFlags
	Clients *cluster.Cache
}

// NewEnv creates the shared environment over the given streams.
func NewEnv(streams genericiooptions.IOStreams) *Env {
	quietKlog()
	flags := genericclioptions.NewConfigFlags(true).WithDeprecatedPasswordFlag().WithWarningPrinter(streams)
	return &Env{Streams: streams, Flags: flags, Clients: cluster.NewCache(flags)}
}

// NewRootCommand builds `kubectl flux-mcp` with the operations for people; extra commands (the MCP
// server) are added by the caller.
func NewRootCommand(env *Env, extra ...*cobra.Command) *cobra.Command {
	root := &cobra.Command{
		Use:   "kubectl flux-mcp",
		Short: "Flux CD for people and their AI assistants",
		Long: templates.LongDesc(`
			Inspect and operate Flux CD objects from kubectl, and serve the same operations to AI
			assistants over the Model Context Protocol (kubectl flux-mcp serve).

			Connection flags (--kubeconfig, --context, --as, -n, --request-timeout…) work as in kubectl.`),
		SilenceUsage:  true,
		SilenceErrors: true,
		Annotations: map[string]string{
			// Lets cobra print "kubectl flux-mcp" in usage lines when run as a kubectl plugin.
			cobra.CommandDisplayNameAnnotation: "kubectl flux-mcp",
		},
	}
	root.SetIn(env.Streams.In)
	root.SetOut(env.Streams.Out)
	root.SetErr(env.Streams.ErrOut)
	env.Flags.AddFlags(root.PersistentFlags())
	registerConnectionFlagCompletion(root, env)
	root.AddCommand(
		NewGetCommand(env),
		NewReconcileCommand(env),
		NewSuspendCommand(env),
		NewResumeCommand(env),
		NewTreeCommand(env),
		NewTraceCommand(env),
		NewEventsCommand(env),
		NewVersionCommand(env),
		NewLogsCommand(env),
		NewStatsCommand(env),
		NewCheckCommand(env),
		NewExplainCommand(env),
		NewExportCommand(env),
		NewDiagnoseCommand(env),
		NewGraphCommand(env),
		NewCompletionCommand(env),
	)
	root.AddCommand(extra...)
	return root
}

// quietKlog stops client-go from logging its own copy of errors (discovery failures, throttling)
// on stderr: every error reaches the reader once, as the command's one error line.
func quietKlog() {
	fs := flag.NewFlagSet("klog", flag.ContinueOnError)
	klog.InitFlags(fs)
	_ = fs.Set("logtostderr", "false")
	_ = fs.Set("alsologtostderr", "false")
	_ = fs.Set("stderrthreshold", "FATAL")
	klog.SetOutput(io.Discard)
}
