package mcp

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/mark3labs/mcp-go/server"
	"github.com/spf13/cobra"
	"k8s.io/kubectl/pkg/util/templates"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cmd"
)

// Transports the server speaks.
const (
	TransportStdio = "stdio"
	TransportSSE   = "sse"
	TransportHTTP  = "http"
)

// ServeOptions are the flags of `serve`.
type ServeOptions struct {
	Transport string
	Port      int
	// Address to listen on; empty means loopback, on IPv4 and IPv6.
	Address string
	KubeAs  string
	// AuthTokenFile holds the bearer token HTTP clients must send ($KFM_MCP_AUTH_TOKEN otherwise).
	AuthTokenFile string
	// TLSCertFile and TLSKeyFile make the HTTP transports serve HTTPS.
	TLSCertFile, TLSKeyFile string
	Options

	// Test overrides of the header and idle timeouts and the shutdown grace period; zero means the default.
	readHeaderTimeout, idleTimeout, shutdownGrace time.Duration
}

var serveExample = templates.Examples(`
	# Serve over stdio, as an assistant's MCP config starts it
	kubectl flux-mcp serve

	# Serve streamable HTTP at http://localhost:8080/mcp (and SSE at /sse), read-only
	kubectl flux-mcp serve --transport http --read-only

	# Ask before every change; refuse changes from clients that cannot ask
	kubectl flux-mcp serve --confirm all --confirm-fallback deny

	# Act as a service account with limited rights
	kubectl flux-mcp serve --kube-as system:serviceaccount:flux-system:mcp-reader`)

// NewServeCommand is `serve`: the MCP server over stdio, SSE or streamable HTTP.
func NewServeCommand(env *cmd.Env) *cobra.Command {
	o := &ServeOptions{Options: Options{MaskSecrets: true, Confirm: ConfirmDestructive, ConfirmFallback: FallbackAllow}}
	c := &cobra.Command{
		Use:   "serve",
		Short: "Serve every operation as a Model Context Protocol tool",
		Long: templates.LongDesc(`
			Start a Model Context Protocol server that offers every operation of this plugin as a
			tool, over stdio (the default), SSE (/sse) or streamable HTTP (/mcp).

			Secret values are masked unless --mask-secrets=false. With --read-only the tools that
			change the cluster are not offered, and refused if called.

			Flux objects are also resources (flux://CONTEXT/NAMESPACE/KIND/NAME, and
			flux://CONTEXT/summary) that clients can subscribe to. Destructive calls ask the user
			to confirm through elicitation first (--confirm); clients that cannot ask get
			--confirm-fallback.`),
		Example: serveExample,
		Args:    cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := o.Validate(); err != nil {
				return err
			}
			if o.KubeAs != "" && env.Flags != nil && env.Flags.Impersonate != nil && *env.Flags.Impersonate != "" {
				// Both name the user to act as; picking one silently would run as someone unexpected.
				return fmt.Errorf("--as %q and --kube-as %q both name the user to impersonate: give one (they mean the same on serve)", *env.Flags.Impersonate, o.KubeAs)
			}
			if o.KubeAs != "" {
				env.Clients.SetImpersonate(o.KubeAs)
			}
			return o.Run(c.Context(), env)
		},
	}
	f := c.Flags()
	f.StringVar(&o.Transport, "transport", TransportStdio, "Transport: stdio, sse or http (streamable HTTP at /mcp; SSE is served at /sse by both HTTP transports).")
	f.IntVar(&o.Port, "port", 8080, "Port to listen on for sse and http.")
	f.StringVar(&o.Address, "address", "", "Address to listen on for sse and http (default: loopback, 127.0.0.1 and ::1). Requests must name this address or localhost in Host; with 0.0.0.0 or :: any Host is accepted.")
	f.BoolVar(&o.ReadOnly, "read-only", false, "Offer only tools that do not change the cluster; refuse the others.")
	f.BoolVar(&o.MaskSecrets, "mask-secrets", true, "Mask Secret values in every tool result.")
	f.StringVar(&o.Confirm, "confirm", o.Confirm, "Which calls ask the user to confirm, through MCP elicitation: destructive (delete, apply and patch without dry run, bulk suspend), all (every change) or none.")
	f.StringVar(&o.ConfirmFallback, "confirm-fallback", o.ConfirmFallback, "What to do with a call that needs confirmation when the client cannot elicit: allow or deny.")
	f.StringVar(&o.KubeAs, "kube-as", "", "User or service account to impersonate on every request, e.g. system:serviceaccount:NS:NAME (as --as; not both).")
	f.StringVar(&o.AuthTokenFile, "auth-token-file", "", "File holding a bearer token that sse and http clients must send (Authorization: Bearer TOKEN); default $"+AuthTokenEnv+". /healthz stays open.")
	f.StringVar(&o.TLSCertFile, "tls-cert-file", "", "Serve sse and http over HTTPS with this PEM certificate (needs --tls-key-file).")
	f.StringVar(&o.TLSKeyFile, "tls-key-file", "", "PEM private key of --tls-cert-file.")
	f.BoolVar(&o.ConformanceFixtures, "conformance-fixtures", false, "Add the fixtures of the MCP conformance suite (tests only).")
	_ = f.MarkHidden("conformance-fixtures")
	_ = c.RegisterFlagCompletionFunc("confirm", cobra.FixedCompletions([]string{ConfirmDestructive, ConfirmAll, ConfirmNone}, cobra.ShellCompDirectiveNoFileComp))
	_ = c.RegisterFlagCompletionFunc("confirm-fallback", cobra.FixedCompletions([]string{FallbackAllow, FallbackDeny}, cobra.ShellCompDirectiveNoFileComp))
	_ = c.RegisterFlagCompletionFunc("transport", cobra.FixedCompletions([]string{TransportStdio, TransportSSE, TransportHTTP}, cobra.ShellCompDirectiveNoFileComp))
	return c
}

// NewMCPCommand is `mcp`, the group that holds `mcp serve` (the same command as `serve`).
func NewMCPCommand(env *cmd.Env) *cobra.Command {
	c := &cobra.Command{
		Use:   "mcp",
		Short: "Model Context Protocol server commands",
		Args:  cobra.NoArgs,
		RunE:  func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	c.AddCommand(NewServeCommand(env), cmd.NewMCPConfigCommand(env))
	return c
}

// Validate checks the flags.
func (o *ServeOptions) Validate() error {
	switch o.Transport {
	case TransportStdio, TransportSSE, TransportHTTP:
	default:
		return fmt.Errorf("unknown transport %q: use stdio, sse or http", o.Transport)
	}
	switch o.Confirm {
	case ConfirmDestructive, ConfirmAll, ConfirmNone:
	default:
		return fmt.Errorf("unknown --confirm %q: use destructive, all or none", o.Confirm)
	}
	switch o.ConfirmFallback {
	case FallbackAllow, FallbackDeny:
	default:
		return fmt.Errorf("unknown --confirm-fallback %q: use allow or deny", o.ConfirmFallback)
	}
	if (o.TLSCertFile == "") != (o.TLSKeyFile == "") {
		return errors.New("--tls-cert-file and --tls-key-file go together: give both or neither")
	}
	if o.Transport == TransportStdio && (o.TLSCertFile != "" || o.AuthTokenFile != "") {
		return errors.New("--auth-token-file and --tls-* apply to --transport sse or http, not stdio")
	}
	if o.Port < 0 || o.Port > 65535 {
		return fmt.Errorf("invalid port %d: use 0-65535", o.Port)
	}
	return nil
}

// Run serves until the context ends or, over stdio, the client closes its side.
func (o *ServeOptions) Run(ctx context.Context, env *cmd.Env) error {
	s := NewServer(env.Clients, o.Options)
	logs := o.logWriter(env.Streams.ErrOut)
	// mcp-go's SSE server logs through the standard logger, which has no option to replace it.
	prev := log.Writer()
	log.SetOutput(logs)
	defer log.SetOutput(prev)
	if o.Transport == TransportStdio {
		stdio := server.NewStdioServer(s)
		stdio.SetErrorLogger(newLogger(logs))
		err := stdio.Listen(ctx, env.Streams.In, env.Streams.Out)
		if err == nil || errors.Is(err, context.Canceled) {
			return nil
		}
		return err
	}
	return o.serveHTTP(ctx, env, s, logs)
}
