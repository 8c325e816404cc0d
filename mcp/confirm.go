package mcp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
)

// Values of --confirm and --confirm-fallback.
const (
	ConfirmDestructive = "destructive"
	ConfirmAll         = "all"
	ConfirmNone        = "none"
	FallbackAllow      = "allow"
	FallbackDeny       = "deny"
)

// describer says what a call would change; the empty string means it needs no confirmation.
type describer func(args map[string]any) string

// destructive are the calls that ask under --confirm destructive, keyed by tool name; each reads
// the call's arguments to say exactly what will change, and returns "" for a dry run.
func destructive() map[string]describer {
	return map[string]describer{
		"delete_kubernetes_resource": func(a map[string]any) string {
			if boolArg(a, "dry_run") {
				return ""
			}
			return fmt.Sprintf("Delete %s %q%s.", strArg(a, "kind"), strArg(a, "name"), where(a))
		},
		"patch_kubernetes_resource": func(a map[string]any) string {
			if boolArg(a, "dry_run") {
				return ""
			}
			patch := maskPatterns(strArg(a, "patch"))
			if strings.HasPrefix(strings.ToLower(strArg(a, "kind")), "secret") {
				patch = "(not shown: it patches a Secret)"
			}
			typ := strArg(a, "type")
			if typ == "" {
				typ = "merge"
			}
			return fmt.Sprintf("Patch %s %q%s with this %s patch:\n%s", strArg(a, "kind"), strArg(a, "name"), where(a), typ, clip(patch))
		},
		"apply_kubernetes_manifest": func(a map[string]any) string {
			if boolArg(a, "dry_run") {
				return ""
			}
			msg := "Server-side apply" + where(a) + " of: " + manifestObjects(strArg(a, "manifest"))
			if boolArg(a, "overwrite") {
				msg += " (overwrite: also objects Flux manages, taking over fields of other managers)"
			}
			return msg + "."
		},
		"suspend_flux_resource": func(a map[string]any) string {
			if !isBulk(a) {
				return ""
			}
			return "Suspend " + selectionText(a) + where(a) + ": Flux stops reconciling them until they are resumed."
		},
	}
}

// confirmText is what a call would change under the given --confirm mode, or "".
func confirmText(mode, tool string, mutating bool, args map[string]any) string {
	switch mode {
	case ConfirmNone:
		return ""
	case ConfirmAll:
		if !mutating {
			return ""
		}
		if d, ok := destructive()[tool]; ok {
			if msg := d(args); msg != "" {
				return msg
			}
		}
		if boolArg(args, "dry_run") {
			return "" // a dry run changes nothing
		}
		return fmt.Sprintf("Run %s on %s%s.", tool, selectionText(args), where(args))
	}
	if d, ok := destructive()[tool]; ok {
		return d(args)
	}
	return ""
}

// confirmMiddleware asks the user, through elicitation, before a call that changes the cluster as
// --confirm says; it is keyed by tool name and arguments so that no tool carries its own prompt.
// A decline or cancel changes nothing. Clients without elicitation get --confirm-fallback.
func confirmMiddleware(o Options, mutating map[string]bool) server.ToolHandlerMiddleware {
	return func(next server.ToolHandlerFunc) server.ToolHandlerFunc {
		return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			if o.ReadOnly && mutating[req.Params.Name] {
				return next(ctx, req) // refused anyway; nothing to confirm
			}
			msg := confirmText(o.Confirm, req.Params.Name, mutating[req.Params.Name], req.GetArguments())
			if msg == "" {
				return next(ctx, req)
			}
			srv := server.ServerFromContext(ctx)
			if srv == nil || !clientElicits(ctx) {
				if o.ConfirmFallback == FallbackDeny {
					return mcp.NewToolResultError("not done, nothing was changed: " + req.Params.Name +
						" needs the user's confirmation and this client cannot ask for it (the server runs with --confirm-fallback=deny). It would: " + msg), nil
				}
				return next(ctx, req)
			}
			res, err := srv.RequestElicitation(ctx, mcp.ElicitationRequest{Params: mcp.ElicitationParams{
				Message: msg + "\nProceed?",
				RequestedSchema: map[string]any{
					"type": "object",
					"properties": map[string]any{
						"confirm": map[string]any{"type": "boolean", "title": "Proceed", "description": "Make this change", "default": true},
					},
				},
			}})
			switch {
			case errors.Is(err, server.ErrElicitationNotSupported) || errors.Is(err, server.ErrServerInitiatedRequestUnsupported):
				if o.ConfirmFallback == FallbackDeny {
					return mcp.NewToolResultError("not done, nothing was changed: " + req.Params.Name + " needs confirmation the client cannot give (--confirm-fallback=deny)"), nil
				}
				return next(ctx, req)
			case err != nil:
				return mcp.NewToolResultError("not done, nothing was changed: asking the user to confirm failed: " + err.Error()), nil
			}
			if res.Action != mcp.ElicitationResponseActionAccept || declinedInForm(res.Content) {
				action := string(res.Action)
				if res.Action == mcp.ElicitationResponseActionAccept {
					action = "decline"
				}
				return mcp.NewToolResultError(fmt.Sprintf("not done, nothing was changed: the user answered %s to: %s", action, msg)), nil
			}
			return next(ctx, req)
		}
	}
}

// clientElicits says whether the client declared the elicitation capability.
func clientElicits(ctx context.Context) bool {
	s, ok := server.ClientSessionFromContext(ctx).(server.SessionWithClientInfo)
	return ok && s.GetClientCapabilities().Elicitation != nil
}

// declinedInForm is an accepted form whose confirm box was unticked.
func declinedInForm(content any) bool {
	m, ok := content.(map[string]any)
	if !ok {
		return false
	}
	v, ok := m["confirm"].(bool)
	return ok && !v
}

func strArg(a map[string]any, k string) string { s, _ := a[k].(string); return s }
func boolArg(a map[string]any, k string) bool  { b, _ := a[k].(bool); return b }

func where(a map[string]any) string {
	s := ""
	if ns := strArg(a, "namespace"); ns != "" {
		s += " in namespace " + ns
	} else {
		s += " in the default namespace"
	}
	if c := strArg(a, "context"); c != "" {
		s += " of context " + c
	}
	return s
}

func isBulk(a map[string]any) bool {
	names, _ := a["names"].([]any)
	n := len(names)
	if strArg(a, "name") != "" {
		n++
	}
	return boolArg(a, "all") || strArg(a, "label_selector") != "" || n > 1
}

func selectionText(a map[string]any) string {
	kind := strArg(a, "kind")
	switch {
	case boolArg(a, "all"):
		return "every " + kind
	case strArg(a, "label_selector") != "":
		return "every " + kind + " matching " + strArg(a, "label_selector")
	}
	var names []string
	if n := strArg(a, "name"); n != "" {
		names = append(names, n)
	}
	list, _ := a["names"].([]any)
	for _, n := range list {
		if s, ok := n.(string); ok {
			names = append(names, s)
		}
	}
	return strings.TrimSpace(kind + " " + strings.Join(names, ", "))
}

// manifestObjects lists the kind/namespace/name of each document, as apply will see them.
func manifestObjects(manifest string) string {
	dec := utilyaml.NewYAMLOrJSONDecoder(strings.NewReader(manifest), 4096)
	var out []string
	for {
		var doc map[string]any
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			out = append(out, "(a document that does not parse: the apply will fail and change nothing)")
			break
		}
		if doc == nil {
			continue
		}
		kind, _ := doc["kind"].(string)
		md, _ := doc["metadata"].(map[string]any)
		name, _ := md["name"].(string)
		ns, _ := md["namespace"].(string)
		if ns != "" {
			name = ns + "/" + name
		}
		out = append(out, kind+" "+name)
	}
	if len(out) == 0 {
		return "no objects"
	}
	return clip(strings.Join(out, ", "))
}

// clip keeps a prompt readable.
func clip(s string) string {
	const limit = 1500
	if len(s) > limit {
		return s[:limit] + "…"
	}
	return s
}
