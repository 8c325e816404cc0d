package mcp

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// The fixtures of the MCP conformance suite's server scenarios (serve --conformance-fixtures, a
// hidden flag for tests only): tools, resources and prompts with the names and answers the
// scenarios expect. They exercise the protocol layer this server is built on, not the cluster.

// pngPixel is a 1x1 red PNG; wavSilence a minimal WAV file.
const (
	pngPixel   = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
	wavSilence = "UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA="
)

func conformanceOptions() []server.ServerOption {
	return []server.ServerOption{
		server.WithResourceCapabilities(true, false),
		server.WithPromptCapabilities(false),
		server.WithElicitation(),
		server.WithCompletions(),
		server.WithPromptCompletionProvider(completer{}),
	}
}

type completer struct{}

func (completer) CompletePromptArgument(_ context.Context, _ string, arg mcp.CompleteArgument, _ mcp.CompleteContext) (*mcp.Completion, error) {
	var out []string
	for _, v := range []string{"paris", "park", "party"} {
		if strings.HasPrefix(v, arg.Value) {
			out = append(out, v)
		}
	}
	return &mcp.Completion{Values: out, Total: len(out)}, nil
}

// settle gives the streamable HTTP transport time to write the notifications just sent: in mcp-go
// v1.2.1 (without an event store) a notification that its forwarder has taken off the session's
// channel when the tool returns is dropped (upstream mark3labs/mcp-go pull request 969).
func settle() { time.Sleep(100 * time.Millisecond) }

func text(s string) *mcp.CallToolResult { return mcp.NewToolResultText(s) }

func noArgs(name string) mcp.Tool {
	return mcp.NewTool(name, mcp.WithDescription("Conformance fixture "+name))
}

func addConformanceFixtures(s *server.MCPServer) {
	fixed := map[string]*mcp.CallToolResult{
		"test_simple_text":   text("This is a simple text response for testing."),
		"test_image_content": {Content: []mcp.Content{mcp.NewImageContent(pngPixel, "image/png")}},
		"test_audio_content": {Content: []mcp.Content{mcp.NewAudioContent(wavSilence, "audio/wav")}},
		"test_embedded_resource": {Content: []mcp.Content{mcp.NewEmbeddedResource(mcp.TextResourceContents{
			URI: "test://embedded-resource", MIMEType: "text/plain", Text: "This is an embedded resource content."})}},
		"test_multiple_content_types": {Content: []mcp.Content{mcp.NewTextContent("Multiple content types test:"),
			mcp.NewImageContent(pngPixel, "image/png"),
			mcp.NewEmbeddedResource(mcp.TextResourceContents{URI: "test://mixed-content-resource", MIMEType: "application/json", Text: `{"test":"data","value":123}`})}},
		"test_error_handling": mcp.NewToolResultError("This tool intentionally returns an error for testing"),
	}
	for name, res := range fixed {
		s.AddTool(noArgs(name), func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) { return res, nil })
	}
	s.AddTool(noArgs("test_tool_with_logging"), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		for i, msg := range []string{"Tool execution started", "Tool processing data", "Tool execution completed"} {
			if i > 0 {
				time.Sleep(50 * time.Millisecond)
			}
			_ = s.SendLogMessageToClient(ctx, mcp.NewLoggingMessageNotification(mcp.LoggingLevelInfo, "conformance", msg))
		}
		settle()
		return text("Tool with logging executed successfully"), nil
	})
	s.AddTool(noArgs("test_tool_with_progress"), func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		var token mcp.ProgressToken
		if req.Params.Meta != nil {
			token = req.Params.Meta.ProgressToken
		}
		for i, p := range []int{0, 50, 100} {
			if i > 0 {
				time.Sleep(50 * time.Millisecond)
			}
			if token != nil {
				_ = s.SendNotificationToClient(ctx, "notifications/progress", map[string]any{"progressToken": token, "progress": p, "total": 100})
			}
		}
		settle()
		return text("Tool with progress executed successfully"), nil
	})
	s.AddTool(mcp.NewTool("test_sampling", mcp.WithDescription("Conformance fixture test_sampling"), mcp.WithString("prompt", mcp.Required())),
		func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			msg := mcp.CreateMessageRequest{}
			msg.Messages = []mcp.SamplingMessage{{Role: mcp.RoleUser, Content: mcp.NewTextContent(req.GetString("prompt", ""))}}
			msg.MaxTokens = 100
			// Deprecated by protocol 2026-07-28, but still a scenario of the suite for 2025-11-25.
			res, err := s.RequestSampling(ctx, msg) //nolint:staticcheck

			if err != nil {
				return mcp.NewToolResultError("sampling failed: " + err.Error()), nil
			}
			reply := ""
			if tc, ok := res.Content.(mcp.TextContent); ok {
				reply = tc.Text
			}
			return text("LLM response: " + reply), nil
		})
	addElicitationFixtures(s)
	schema := json.RawMessage(`{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
		"$defs":{"address":{"type":"object","properties":{"street":{"type":"string"},"city":{"type":"string"}}}},
		"properties":{"name":{"type":"string"},"address":{"$ref":"#/$defs/address"}},"additionalProperties":false}`)
	s.AddTool(mcp.NewToolWithRawSchema("json_schema_2020_12_tool", "Tool with JSON Schema 2020-12 features", schema),
		func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) { return text("ok"), nil })
	addConformanceResources(s)
	addConformancePrompts(s)
}

func addElicitationFixtures(s *server.MCPServer) {
	elicit := func(ctx context.Context, message string, schema any, prefix string) (*mcp.CallToolResult, error) {
		req := mcp.ElicitationRequest{}
		req.Params.Message, req.Params.RequestedSchema = message, schema
		res, err := s.RequestElicitation(ctx, req)
		if err != nil {
			return mcp.NewToolResultError("elicitation failed: " + err.Error()), nil
		}
		content, _ := json.Marshal(res.Content)
		return text(fmt.Sprintf("%saction=%s, content=%s", prefix, res.Action, content)), nil
	}
	s.AddTool(mcp.NewTool("test_elicitation", mcp.WithDescription("Conformance fixture test_elicitation"), mcp.WithString("message", mcp.Required())),
		func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			return elicit(ctx, req.GetString("message", ""), map[string]any{"type": "object", "required": []string{"username", "email"},
				"properties": map[string]any{"username": map[string]any{"type": "string", "description": "User's response"},
					"email": map[string]any{"type": "string", "description": "User's email address"}}}, "User response: ")
		})
	s.AddTool(noArgs("test_elicitation_sep1034_defaults"), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return elicit(ctx, "Please review and update the form fields with defaults", map[string]any{"type": "object", "properties": map[string]any{
			"name":     map[string]any{"type": "string", "description": "User name", "default": "John Doe"},
			"age":      map[string]any{"type": "integer", "description": "User age", "default": 30},
			"score":    map[string]any{"type": "number", "description": "User score", "default": 95.5},
			"status":   map[string]any{"type": "string", "description": "User status", "enum": []string{"active", "inactive", "pending"}, "default": "active"},
			"verified": map[string]any{"type": "boolean", "description": "Verification status", "default": true},
		}}, "Elicitation completed: ")
	})
	s.AddTool(noArgs("test_elicitation_sep1330_enums"), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		titled := func(prefix, title string) []map[string]any {
			return []map[string]any{{"const": prefix + "1", "title": "First " + title}, {"const": prefix + "2", "title": "Second " + title}, {"const": prefix + "3", "title": "Third " + title}}
		}
		return elicit(ctx, "Please select options from the enum fields", map[string]any{"type": "object", "properties": map[string]any{
			"untitledSingle": map[string]any{"type": "string", "description": "Select one option", "enum": []string{"option1", "option2", "option3"}},
			"titledSingle":   map[string]any{"type": "string", "description": "Select one option with titles", "oneOf": titled("value", "Option")},
			"legacyEnum": map[string]any{"type": "string", "description": "Select one option (legacy)", "enum": []string{"opt1", "opt2", "opt3"},
				"enumNames": []string{"Option One", "Option Two", "Option Three"}},
			"untitledMulti": map[string]any{"type": "array", "description": "Select multiple options", "items": map[string]any{"type": "string", "enum": []string{"option1", "option2", "option3"}}},
			"titledMulti":   map[string]any{"type": "array", "description": "Select multiple options with titles", "items": map[string]any{"anyOf": titled("value", "Choice")}},
		}}, "Elicitation completed: ")
	})
}
