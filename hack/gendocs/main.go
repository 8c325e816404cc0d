// Command gendocs writes the reference documentation from the code, so that it cannot drift:
// docs/commands/ from the cobra command tree and docs/tools.md from the MCP tool registry.
//
//	go run ./hack/gendocs -out docs     # what `make docs` runs
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/mcp"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/mcp/tools"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cmd"
)

func main() {
	out := flag.String("out", "docs", "directory that receives commands/ and tools.md")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs: "+err.Error())
		os.Exit(1)
	}
}

func run(out string) error {
	// The docs must not depend on who generates them: kubectl's i18n follows the locale, and the
	// default of --cache-dir is read from $HOME when the flags are built.
	for k, v := range map[string]string{"LC_ALL": "C", "LANG": "C", "LC_MESSAGES": "C", "HOME": "$HOME"} {
		if err := os.Setenv(k, v); err != nil {
			return err
		}
	}
	env := cmd.NewEnv(genericiooptions.IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard})
	root := cmd.NewRootCommand(env, mcp.NewServeCommand(env), mcp.NewMCPCommand(env))
	disableAutoGenTag(root)

	dir := filepath.Join(out, "commands")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// Pages of commands that no longer exist must go too.
	old, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil {
		return err
	}
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			return err
		}
	}
	if err := doc.GenMarkdownTree(root, dir); err != nil {
		return err
	}
	page, err := toolsPage(tools.All(tools.Deps{}), mcp.Instructions)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "tools.md"), []byte(page), 0o644)
}

// disableAutoGenTag drops the "Auto generated … on DATE" line, which would change every day.
func disableAutoGenTag(c *cobra.Command) {
	c.DisableAutoGenTag = true
	for _, sub := range c.Commands() {
		disableAutoGenTag(sub)
	}
}
