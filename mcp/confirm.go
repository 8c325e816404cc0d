package mcp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/kube"
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
type describer func(args map[string]any, loc locator) string

// locator says where a call acts, as the tool will resolve it: " in namespace NS of context C",
// or " in context C" for a kind that is not namespaced. kind is the call's kind argument ("" for
// none).
type locator interface {
	where(args map[string]any, kind string) string
	// inContext names only the context, for a call whose objects say their own namespaces.
	inContext(args map[string]any) string
	// objects lists the documents of a manifest as apply will see them: Kind namespace/name, the
	// namespace defaulted for namespaced kinds and dropped for the others.
	objects(args map[string]any) string
}

// destructive are the calls that ask under --confirm destructive, keyed by tool name; each reads
// the call's arguments to say exactly what will change, and returns "" for a dry run.
func destructive() map[string]describer {
	return map[string]describer{
		"delete_kubernetes_resource": func(a map[string]any, loc locator) string {
			if boolArg(a, "dry_run") {
				return ""
			}
			return fmt.Sprintf("Delete %s %q%s.", strArg(a, "kind"), strArg(a, "name"), loc.where(a, strArg(a, "kind")))
		},
		"patch_kubernetes_resource": func(a map[string]any, loc locator) string {
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
			return fmt.Sprintf("Patch %s %q%s with this %s patch:\n%s", strArg(a, "kind"), strArg(a, "name"), loc.where(a, strArg(a, "kind")), typ, clip(patch))
		},
		"apply_kubernetes_manifest": func(a map[string]any, loc locator) string {
			if boolArg(a, "dry_run") {
				return ""
			}
			msg := "Server-side apply" + loc.inContext(a) + " of: " + loc.objects(a)
			if boolArg(a, "overwrite") {
				msg += " (overwrite: also objects Flux manages, taking over fields of other managers)"
			}
			return msg + "."
		},
		"suspend_flux_resource": func(a map[string]any, loc locator) string {
			if !isBulk(a) {
				return ""
			}
			return "Suspend " + selectionText(a) + loc.where(a, strArg(a, "kind")) + ": Flux stops reconciling them until they are resumed."
		},
	}
}

// confirmText is what a call would change under the given --confirm mode, or "".
func confirmText(mode, tool string, mutating bool, args map[string]any, loc locator) string {
	switch mode {
	case ConfirmNone:
		return ""
	case ConfirmAll:
		if !mutating {
			return ""
		}
		if d, ok := destructive()[tool]; ok {
			if msg := d(args, loc); msg != "" {
				return msg
			}
		}
		if boolArg(args, "dry_run") {
			return "" // a dry run changes nothing
		}
		return fmt.Sprintf("Run %s on %s%s.", tool, selectionText(args), loc.where(args, strArg(args, "kind")))
	}
	if d, ok := destructive()[tool]; ok {
		return d(args, loc)
	}
	return ""
}

// clusterLocator resolves the context, its namespace and the kind's scope from the cluster, as
// the tools do; when that fails (the tool will then fail too, changing nothing) it says what the
// arguments say, without guessing.
type clusterLocator struct{ clients *cluster.Cache }

func (l clusterLocator) where(a map[string]any, kind string) string {
	ns, kubeContext := strArg(a, "namespace"), strArg(a, "context")
	cl, err := l.clients.For(kubeContext)
	if err != nil {
		return argsWhere(ns, kubeContext)
	}
	if kind != "" && !l.namespaced(cl, kind) {
		return " in context " + cl.Context
	}
	if ns == "" {
		ns = cl.Namespace
	}
	return " in namespace " + ns + " of context " + cl.Context
}

func (l clusterLocator) inContext(a map[string]any) string {
	cl, err := l.clients.For(strArg(a, "context"))
	if err != nil {
		return argsWhere(strArg(a, "namespace"), strArg(a, "context"))
	}
	return " in context " + cl.Context
}

// namespaced says whether a kind is namespaced; a kind that does not resolve is taken as
// namespaced (the call will fail on it anyway).
func (l clusterLocator) namespaced(cl *cluster.Clients, kind string) bool {
	if _, err := fluxkinds.Lookup(kind); err == nil {
		return true
	}
	m, err := kube.ResolveResource(cl, kind)
	return err != nil || m.Scope.Name() == meta.RESTScopeNameNamespace
}

func (l clusterLocator) objects(a map[string]any) string {
	ns := strArg(a, "namespace")
	cl, err := l.clients.For(strArg(a, "context"))
	if err != nil {
		return manifestObjects(strArg(a, "manifest"), func(*unstructured.Unstructured) string { return "" })
	}
	if ns == "" {
		ns = cl.Namespace
	}
	return manifestObjects(strArg(a, "manifest"), func(obj *unstructured.Unstructured) string {
		gvk := obj.GroupVersionKind()
		m, err := cl.Mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
		switch {
		case err != nil:
			return obj.GetNamespace() // as written: apply will say what is wrong with it
		case m.Scope.Name() != meta.RESTScopeNameNamespace:
			return ""
		case obj.GetNamespace() != "":
			return obj.GetNamespace()
		}
		return ns
	})
}

// argsWhere is where a call acts by its arguments alone.
func argsWhere(ns, kubeContext string) string {
	s := " in the namespace of the current context"
	if ns != "" {
		s = " in namespace " + ns
	}
	if kubeContext != "" {
		return s + " of context " + kubeContext
	}
	return s + " of the current context"
}

// confirmMiddleware asks the user, through elicitation, before a call that changes the cluster as
// --confirm says; it is keyed by tool name and arguments so that no tool carries its own prompt.
// A decline or cancel changes nothing. Clients without elicitation get --confirm-fallback.
func confirmMiddleware(o Options, clients *cluster.Cache, mutating map[string]bool) server.ToolHandlerMiddleware {
	loc := clusterLocator{clients: clients}
	return func(next server.ToolHandlerFunc) server.ToolHandlerFunc {
		return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			if o.ReadOnly && mutating[req.Params.Name] {
				return next(ctx, req) // refused anyway; nothing to confirm
			}
			msg := confirmText(o.Confirm, req.Params.Name, mutating[req.Params.Name], req.GetArguments(), loc)
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

// manifestObjects lists the kind/namespace/name of each document, the namespace as namespaceOf
// says apply will see it ("" for none).
func manifestObjects(manifest string, namespaceOf func(*unstructured.Unstructured) string) string {
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
		obj := &unstructured.Unstructured{Object: doc}
		name := obj.GetName()
		if ns := namespaceOf(obj); ns != "" {
			name = ns + "/" + name
		}
		out = append(out, obj.GetKind()+" "+name)
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
