package mcpconfig

import (
	"fmt"
	"sort"
	"strings"
)

// tomlConfig renders Codex's entry: a [mcp_servers.NAME] table, and its env as a sub-table.
func tomlConfig(name string, s server) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "[mcp_servers.%s]\n", name)
	if s.URL != "" {
		fmt.Fprintf(&b, "url = %s\n", tomlString(s.URL))
		return b.String(), nil
	}
	fmt.Fprintf(&b, "command = %s\n", tomlString(s.Command))
	quoted := make([]string, len(s.Args))
	for i, a := range s.Args {
		quoted[i] = tomlString(a)
	}
	fmt.Fprintf(&b, "args = [%s]\n", strings.Join(quoted, ", "))
	if len(s.Env) > 0 {
		fmt.Fprintf(&b, "\n[mcp_servers.%s.env]\n", name)
		keys := make([]string, 0, len(s.Env))
		for k := range s.Env {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "%s = %s\n", k, tomlString(s.Env[k]))
		}
	}
	return b.String(), nil
}

// tomlString quotes a TOML basic string: backslash, quote and control characters escaped, so
// that a Windows path such as C:\Users\me survives.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
