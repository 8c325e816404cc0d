package mcpconfig

import (
	"encoding/json"
	"sort"
)

// server is one server entry, before each assistant's spelling of it.
type server struct {
	Command string
	Args    []string
	Env     map[string]string
	URL     string
}

// client knows where one assistant keeps its MCP servers and how it spells an entry.
type client struct {
	format   string
	location string
	render   func(name string, s server) (string, error)
}

// clients by the name the command takes. Each entry follows the assistant's documented format.
var clients = map[string]client{
	"claude-desktop": {format: "json",
		location: `claude_desktop_config.json: ~/Library/Application Support/Claude/ on macOS, %APPDATA%\Claude\ on Windows (Settings > Developer > Edit Config)`,
		render:   jsonConfig(jsonStyle{top: "mcpServers"})},
	"claude-code": {format: "json",
		location: ".mcp.json at the root of the project (shared with the team), or the mcpServers of ~/.claude.json (every project)",
		render:   jsonConfig(jsonStyle{top: "mcpServers", stdioType: "stdio", httpType: "http"})},
	"vscode": {format: "json",
		location: ".vscode/mcp.json in the workspace, or the user mcp.json (command MCP: Open User Configuration)",
		render:   jsonConfig(jsonStyle{top: "servers", stdioType: "stdio", httpType: "http"})},
	"cursor": {format: "json",
		location: "~/.cursor/mcp.json (every project) or .cursor/mcp.json in the project",
		render:   jsonConfig(jsonStyle{top: "mcpServers"})},
	"gemini-cli": {format: "json",
		location: "~/.gemini/settings.json (user) or .gemini/settings.json in the project",
		render:   jsonConfig(jsonStyle{top: "mcpServers", httpURLKey: true})},
	"codex": {format: "toml",
		location: "~/.codex/config.toml, or .codex/config.toml in a trusted project",
		render:   tomlConfig},
}

// Clients lists the assistants the command knows, sorted.
func Clients() []string {
	names := make([]string, 0, len(clients))
	for n := range clients {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// jsonEntry keeps the keys in the order people expect to read them.
type jsonEntry struct {
	Type    string            `json:"type,omitempty"`
	Command string            `json:"command,omitempty"`
	Args    []string          `json:"args,omitempty"`
	Env     map[string]string `json:"env,omitempty"`
	URL     string            `json:"url,omitempty"`
	// HTTPURL is Gemini CLI's key for streamable HTTP (its "url" means SSE).
	HTTPURL string `json:"httpUrl,omitempty"`
}

// jsonStyle is how one assistant spells a server in JSON: the top-level key, the "type" value
// for each transport ("" for none), and whether the URL of streamable HTTP goes under httpUrl
// (Gemini CLI, whose "url" means SSE).
type jsonStyle struct {
	top, stdioType, httpType string
	httpURLKey               bool
}

// jsonConfig renders {"<top>": {"<name>": entry}}.
func jsonConfig(st jsonStyle) func(string, server) (string, error) {
	return func(name string, s server) (string, error) {
		e := jsonEntry{Type: st.stdioType, Command: s.Command, Args: s.Args, Env: s.Env}
		switch {
		case s.URL != "" && st.httpURLKey:
			e = jsonEntry{Type: st.httpType, HTTPURL: s.URL}
		case s.URL != "":
			e = jsonEntry{Type: st.httpType, URL: s.URL}
		}
		b, err := json.MarshalIndent(map[string]map[string]jsonEntry{st.top: {name: e}}, "", "  ")
		return string(b) + "\n", err
	}
}
