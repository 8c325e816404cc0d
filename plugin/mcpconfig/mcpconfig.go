// Package mcpconfig writes the snippet that an AI assistant's configuration needs to start this
// plugin's MCP server over stdio, or to reach it over streamable HTTP: JSON for most assistants,
// TOML for Codex. It knows nothing of the MCP library; it only writes what the assistants read.
package mcpconfig

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
)

// Transports an assistant can use to talk to the server.
const (
	TransportStdio = "stdio"
	TransportHTTP  = "http"
)

// Options are the inputs of the config operation.
type Options struct {
	// Client is the assistant: one of Clients().
	Client string
	// Transport is stdio (the assistant starts the server) or http (the assistant connects to a
	// server started separately).
	Transport string
	// Port of the HTTP server.
	Port int
	// Name is the key the server is listed under in the assistant's config.
	Name string
	// ReadOnly, KubeAs, Context and Kubeconfig are passed to `serve`.
	ReadOnly   bool
	KubeAs     string
	Context    string
	Kubeconfig string
	// Executable is the plugin binary the assistant runs; Complete finds the running one.
	Executable string
	// KubeconfigEnv is the KUBECONFIG variable to hand to the server when no --kubeconfig is given: GUI
	// assistants do not inherit the shell's environment. Complete reads it from the process.
	KubeconfigEnv string
}

// Result is the snippet and where it goes.
type Result struct {
	Client string `json:"client" jsonschema:"Assistant the snippet is for"`
	// Format is json or toml.
	Format string `json:"format" jsonschema:"Format of the snippet: json or toml"`
	// Location says which file of the assistant takes the snippet.
	Location string `json:"location" jsonschema:"File of the assistant that takes the snippet"`
	Config   string `json:"config" jsonschema:"The snippet to paste"`
	// Serve is the command that starts the server, for the http transport.
	Serve string `json:"serve,omitempty" jsonschema:"Command that starts the HTTP server, for the http transport"`
}

var nameRE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// Complete fills the defaults: the connection flags given on the command line, the binary that
// runs now, and the KUBECONFIG of the environment. Paths become absolute because the assistant
// starts the server from a directory of its own.
func (o *Options) Complete(c *cluster.Cache) error {
	if o.Transport == "" {
		o.Transport = TransportStdio
	}
	if o.Name == "" {
		o.Name = "flux"
	}
	if c != nil && c.Flags() != nil {
		f := c.Flags()
		if o.Context == "" && f.Context != nil {
			o.Context = *f.Context
		}
		if o.Kubeconfig == "" && f.KubeConfig != nil {
			o.Kubeconfig = *f.KubeConfig
		}
	}
	if o.Kubeconfig != "" {
		abs, err := filepath.Abs(o.Kubeconfig)
		if err != nil {
			return err
		}
		o.Kubeconfig = abs
	} else if o.KubeconfigEnv == "" {
		o.KubeconfigEnv = absList(os.Getenv("KUBECONFIG"))
	}
	if o.Executable == "" {
		exe, err := executable()
		if err != nil {
			return err
		}
		o.Executable = exe
	}
	return nil
}

// Validate rejects what no assistant could use.
func (o *Options) Validate() error {
	if _, ok := clients[o.Client]; !ok {
		return fmt.Errorf("unknown assistant %q: use one of %s", o.Client, strings.Join(Clients(), ", "))
	}
	switch o.Transport {
	case TransportStdio:
	case TransportHTTP:
		if o.Client == "claude-desktop" {
			return fmt.Errorf("claude-desktop starts MCP servers itself over stdio and takes no local URL: leave out --transport")
		}
		if o.Port < 1 || o.Port > 65535 {
			return fmt.Errorf("invalid port %d: use 1-65535", o.Port)
		}
	default:
		return fmt.Errorf("unknown transport %q: use stdio or http", o.Transport)
	}
	if !nameRE.MatchString(o.Name) {
		return fmt.Errorf("invalid server name %q: use letters, digits, - and _", o.Name)
	}
	if !filepath.IsAbs(o.Executable) {
		return fmt.Errorf("the plugin path %q is not absolute", o.Executable)
	}
	return nil
}

// Run renders the snippet.
func (o *Options) Run(context.Context) (*Result, error) {
	cl := clients[o.Client]
	s := server{Command: o.Executable, Args: o.serveArgs()}
	if o.Transport == TransportHTTP {
		s = server{URL: fmt.Sprintf("http://127.0.0.1:%d/mcp", o.Port)}
	} else if o.KubeconfigEnv != "" {
		s.Env = map[string]string{"KUBECONFIG": o.KubeconfigEnv}
	}
	text, err := cl.render(o.Name, s)
	if err != nil {
		return nil, err
	}
	res := &Result{Client: o.Client, Format: cl.format, Location: cl.location, Config: text}
	if o.Transport == TransportHTTP {
		res.Serve = shellJoin(append([]string{o.Executable}, o.serveArgs()...))
	}
	return res, nil
}

// serveArgs are the arguments of `serve` that carry the options.
func (o *Options) serveArgs() []string {
	args := []string{"serve"}
	if o.Transport == TransportHTTP {
		args = append(args, "--transport", "http", "--port", strconv.Itoa(o.Port))
	}
	if o.ReadOnly {
		args = append(args, "--read-only")
	}
	if o.KubeAs != "" {
		args = append(args, "--kube-as", o.KubeAs)
	}
	if o.Context != "" {
		args = append(args, "--context", o.Context)
	}
	if o.Kubeconfig != "" {
		args = append(args, "--kubeconfig", o.Kubeconfig)
	}
	return args
}

// executable is the absolute path of the running plugin. Under krew the kernel reports the
// versioned file in krew's store, which the next `krew upgrade` removes; the stable name on PATH
// that leads to the same file is preferred.
func executable() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("cannot find the path of this program: %w", err)
	}
	if exe, err = filepath.Abs(exe); err != nil {
		return "", err
	}
	onPath, err := exec.LookPath(filepath.Base(exe))
	if err != nil {
		return exe, nil
	}
	onPath, err = filepath.Abs(onPath)
	if err != nil {
		return exe, nil
	}
	a, errA := os.Stat(onPath)
	b, errB := os.Stat(exe)
	if errA == nil && errB == nil && os.SameFile(a, b) {
		return onPath, nil
	}
	return exe, nil
}

// absList makes every path of a KUBECONFIG list absolute.
func absList(list string) string {
	if list == "" {
		return ""
	}
	parts := filepath.SplitList(list)
	for i, p := range parts {
		if abs, err := filepath.Abs(p); err == nil && p != "" {
			parts[i] = abs
		}
	}
	return strings.Join(parts, string(os.PathListSeparator))
}

// shellJoin quotes words for a POSIX shell where they need it.
func shellJoin(words []string) string {
	out := make([]string, len(words))
	for i, w := range words {
		if w != "" && strings.Trim(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@,+") == "" {
			out[i] = w
		} else {
			out[i] = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
		}
	}
	return strings.Join(out, " ")
}
