package mcpconfig_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"k8s.io/cli-runtime/pkg/genericclioptions"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/mcpconfig"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

// An executable path with every character that JSON and TOML must escape.
const exe = `/opt/we\ird "dir"/kubectl-flux_mcp`

func run(t *testing.T, o *mcpconfig.Options) *mcpconfig.Result {
	t.Helper()
	res, err := operation.Execute(context.Background(), nil, o)
	if err != nil {
		t.Fatalf("%+v: %v", o, err)
	}
	return res
}

// entry parses a snippet and returns the one server entry in it, as the assistant would read it.
func entry(t *testing.T, res *mcpconfig.Result) map[string]any {
	t.Helper()
	top := map[string]string{"vscode": "servers", "codex": "mcp_servers"}[res.Client]
	if top == "" {
		top = "mcpServers"
	}
	var doc map[string]any
	if res.Format == "toml" {
		tables, err := parseTOML(res.Config)
		if err != nil {
			t.Fatalf("%s: invalid TOML: %v\n%s", res.Client, err, res.Config)
		}
		doc = map[string]any{top: map[string]any{"flux": tables["mcp_servers.flux"]}}
		if env, ok := tables["mcp_servers.flux.env"]; ok {
			tables["mcp_servers.flux"]["env"] = env
		}
		if len(tables) != 1+btoi(tables["mcp_servers.flux.env"] != nil) {
			t.Errorf("%s: unexpected tables %v", res.Client, tables)
		}
	} else if err := json.Unmarshal([]byte(res.Config), &doc); err != nil {
		t.Fatalf("%s: invalid JSON: %v\n%s", res.Client, err, res.Config)
	}
	if len(doc) != 1 {
		t.Fatalf("%s: want only %q at the top, got %v", res.Client, top, doc)
	}
	servers, _ := doc[top].(map[string]any)
	e, ok := servers["flux"].(map[string]any)
	if !ok || len(servers) != 1 {
		t.Fatalf("%s: no %s.flux entry in\n%s", res.Client, top, res.Config)
	}
	return e
}

func TestEveryClientStdio(t *testing.T) {
	wantArgs := []any{"serve", "--read-only", "--kube-as", "system:serviceaccount:flux-system:mcp", "--context", "prod", "--kubeconfig", "/home/me/.kube/config"}
	for _, client := range mcpconfig.Clients() {
		res := run(t, &mcpconfig.Options{Client: client, ReadOnly: true, KubeAs: "system:serviceaccount:flux-system:mcp",
			Context: "prod", Kubeconfig: "/home/me/.kube/config", Executable: exe})
		e := entry(t, res)
		wantType := map[string]any{"claude-code": "stdio", "vscode": "stdio"}[client]
		if e["command"] != exe || !slices.Equal(e["args"].([]any), wantArgs) || e["type"] != wantType || e["env"] != nil {
			t.Errorf("%s: entry = %v", client, e)
		}
		if len(e) != 2+btoi(wantType != nil) {
			t.Errorf("%s: unexpected keys in %v", client, e)
		}
		if res.Location == "" || res.Serve != "" || res.Format != map[bool]string{true: "toml", false: "json"}[client == "codex"] {
			t.Errorf("%s: result = %+v", client, res)
		}
	}
}

func TestEveryClientHTTP(t *testing.T) {
	url := "http://127.0.0.1:9123/mcp"
	want := map[string]map[string]any{
		"claude-code": {"type": "http", "url": url},
		"vscode":      {"type": "http", "url": url},
		"cursor":      {"url": url},
		"gemini-cli":  {"httpUrl": url},
		"codex":       {"url": url},
	}
	for client, w := range want {
		res := run(t, &mcpconfig.Options{Client: client, Transport: "http", Port: 9123, ReadOnly: true, Context: "prod", Executable: exe})
		if e := entry(t, res); fmt.Sprint(e) != fmt.Sprint(w) {
			t.Errorf("%s: entry = %v, want %v", client, e, w)
		}
		if wantServe := `'` + exe + `' serve --transport http --port 9123 --read-only --context prod`; res.Serve != wantServe {
			t.Errorf("%s: serve = %s, want %s", client, res.Serve, wantServe)
		}
	}
}

func TestKubeconfigFromEnvironmentAndFlags(t *testing.T) {
	t.Setenv("KUBECONFIG", "rel/a"+string(filepath.ListSeparator)+"/abs/b")
	cwd, _ := filepath.Abs(".")
	for _, client := range []string{"claude-desktop", "codex"} {
		e := entry(t, run(t, &mcpconfig.Options{Client: client, Executable: exe}))
		env, _ := e["env"].(map[string]any)
		if want := filepath.Join(cwd, "rel/a") + ":/abs/b"; len(env) != 1 || env["KUBECONFIG"] != want {
			t.Errorf("%s: env = %v, want KUBECONFIG=%s", client, e["env"], want)
		}
	}
	// The connection flags of the command line win over the environment, paths made absolute.
	ctx, kc := "staging", "kube/config"
	flags := genericclioptions.NewConfigFlags(false)
	flags.Context, flags.KubeConfig = &ctx, &kc
	o := &mcpconfig.Options{Client: "cursor", Executable: exe}
	res, err := operation.Execute(context.Background(), cluster.NewCache(flags), o)
	if err != nil {
		t.Fatal(err)
	}
	e := entry(t, res)
	if want := []any{"serve", "--context", "staging", "--kubeconfig", filepath.Join(cwd, "kube/config")}; !slices.Equal(e["args"].([]any), want) || e["env"] != nil {
		t.Errorf("entry = %v, want args %v and no env", e, want)
	}
}

func TestCompleteFindsTheRunningBinary(t *testing.T) {
	o := &mcpconfig.Options{Client: "vscode"}
	if err := o.Complete(nil); err != nil || !filepath.IsAbs(o.Executable) || !strings.HasSuffix(o.Executable, ".test") {
		t.Fatalf("executable = %q, %v", o.Executable, err)
	}
}

func TestInvalidOptions(t *testing.T) {
	for want, o := range map[string]mcpconfig.Options{
		`unknown assistant "windsurf": use one of claude-code, claude-desktop, codex, cursor, gemini-cli, vscode`: {Client: "windsurf"},
		`unknown transport "sse": use stdio or http`:                                                              {Client: "cursor", Transport: "sse"},
		"invalid port 0: use 1-65535":                                                                             {Client: "cursor", Transport: "http"},
		"claude-desktop starts MCP servers itself over stdio":                                                     {Client: "claude-desktop", Transport: "http", Port: 8080},
		`invalid server name "flux.prod": use letters, digits, - and _`:                                           {Client: "codex", Name: "flux.prod"},
		`the plugin path "kubectl-flux_mcp" is not absolute`:                                                      {Client: "codex", Executable: "kubectl-flux_mcp"},
		`unknown assistant "": use one of claude-code, claude-desktop, cod`:                                       {},
	} {
		o.Executable = cmp(o.Executable, exe)
		if _, err := operation.Execute(context.Background(), nil, &o); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%+v: err = %v, want %q", o, err, want)
		}
	}
}

func cmp(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// parseTOML reads the subset of TOML a config snippet may use, strictly: [table] headers,
// key = "basic string" and key = ["string", ...]. Anything else is an error.
func parseTOML(s string) (map[string]map[string]any, error) {
	tables := map[string]map[string]any{}
	var cur map[string]any
	for i, line := range strings.Split(s, "\n") {
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			name := line[1 : len(line)-1]
			if _, dup := tables[name]; dup || strings.ContainsAny(name, " \"'[]") {
				return nil, fmt.Errorf("line %d: bad or repeated table %q", i+1, name)
			}
			cur = map[string]any{}
			tables[name] = cur
			continue
		}
		key, val, ok := strings.Cut(line, " = ")
		if !ok || cur == nil || strings.ContainsAny(key, " .\"") || cur[key] != nil {
			return nil, fmt.Errorf("line %d: not a key = value in a table: %q", i+1, line)
		}
		if strings.HasPrefix(val, "[") && strings.HasSuffix(val, "]") {
			var list []any
			rest := val[1 : len(val)-1]
			for rest != "" {
				str, n, err := tomlBasicString(rest)
				if err != nil {
					return nil, fmt.Errorf("line %d: %w", i+1, err)
				}
				list = append(list, str)
				rest = strings.TrimPrefix(rest[n:], ", ")
			}
			cur[key] = list
			continue
		}
		str, n, err := tomlBasicString(val)
		if err != nil || n != len(val) {
			return nil, fmt.Errorf("line %d: bad string %q: %w", i+1, val, err)
		}
		cur[key] = str
	}
	return tables, nil
}

// tomlBasicString reads one "…" string at the start of s and returns it and its length.
func tomlBasicString(s string) (string, int, error) {
	if !strings.HasPrefix(s, `"`) {
		return "", 0, fmt.Errorf("want a string at %q", s)
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			return b.String(), i + 1, nil
		case c < 0x20:
			return "", 0, fmt.Errorf("raw control character in %q", s)
		case c != '\\':
			b.WriteByte(c)
		case i+1 >= len(s):
			return "", 0, fmt.Errorf("dangling escape in %q", s)
		default:
			i++
			switch s[i] {
			case '"', '\\':
				b.WriteByte(s[i])
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'u':
				r, err := strconv.ParseUint(s[i+1:min(i+5, len(s))], 16, 32)
				if err != nil {
					return "", 0, err
				}
				b.WriteRune(rune(r))
				i += 4
			default:
				return "", 0, fmt.Errorf("invalid escape \\%c", s[i])
			}
		}
	}
	return "", 0, fmt.Errorf("unterminated string %q", s)
}
