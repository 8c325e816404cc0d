package mcp

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/get"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

// Resource URIs: flux://CONTEXT/NAMESPACE/KIND/NAME for one object and flux://CONTEXT/summary for a
// cluster. Each segment is path-escaped, so a context named like an EKS ARN (with "/") still parses.
const (
	uriScheme       = "flux://"
	objectTemplate  = "flux://{context}/{namespace}/{kind}/{name}"
	summaryTemplate = "flux://{context}/summary"
	jsonMIME        = "application/json"
	// pageSize bounds one resources/list page: a cluster can hold thousands of Flux objects.
	pageSize = 100
)

// resourceRef is a parsed resource URI.
type resourceRef struct {
	Context, Namespace, Kind, Name string
	Summary                        bool
}

func (r resourceRef) URI() string {
	if r.Summary {
		return uriScheme + url.PathEscape(r.Context) + "/summary"
	}
	return uriScheme + url.PathEscape(r.Context) + "/" + url.PathEscape(r.Namespace) + "/" +
		url.PathEscape(r.Kind) + "/" + url.PathEscape(r.Name)
}

func objectURI(context string, it get.Item) string {
	return resourceRef{Context: context, Namespace: it.Namespace, Kind: it.Kind, Name: it.Name}.URI()
}

// parseURI reads a flux:// URI; the kind may be given in any of its names and comes back canonical.
func parseURI(uri string) (resourceRef, error) {
	rest, ok := strings.CutPrefix(uri, uriScheme)
	if !ok {
		return resourceRef{}, fmt.Errorf("resource %q is not a flux:// URI: want %s or %s", uri, objectTemplate, summaryTemplate)
	}
	parts := strings.Split(rest, "/")
	for i, p := range parts {
		u, err := url.PathUnescape(p)
		if err != nil || u == "" {
			return resourceRef{}, fmt.Errorf("resource %q has an empty or badly escaped segment", uri)
		}
		parts[i] = u
	}
	switch {
	case len(parts) == 2 && parts[1] == "summary":
		return resourceRef{Context: parts[0], Summary: true}, nil
	case len(parts) == 4:
		k, err := fluxkinds.Lookup(parts[2])
		if err != nil {
			return resourceRef{}, err
		}
		return resourceRef{Context: parts[0], Namespace: parts[1], Kind: k.Kind, Name: parts[3]}, nil
	}
	return resourceRef{}, fmt.Errorf("resource %q does not match %s or %s", uri, objectTemplate, summaryTemplate)
}

// resources serves the flux:// resources over the client cache.
type resources struct {
	clients *cluster.Cache
	subs    *subscriptions
}

// currentContext names the context that tools use when none is given.
func (r *resources) currentContext() (string, error) {
	cl, err := r.clients.For("")
	if err != nil {
		return "", err
	}
	return cl.Context, nil
}

// contextArg maps a URI's context onto the cache's argument: the current context by its name too.
func (r *resources) contextArg(name string) string {
	if cur, err := r.currentContext(); err == nil && cur == name {
		return ""
	}
	return name
}

// list is every Flux object of the current context, in all namespaces, joined in memory.
func (r *resources) list(ctx context.Context, contextName string) (*get.Result, error) {
	return operation.Execute(ctx, r.clients, &get.Options{Kind: get.AllKinds, AllNamespaces: true, Context: r.contextArg(contextName), ItemsOnly: true})
}

// listHook replaces the (empty) static list with the current context's summary and Flux objects,
// sorted by URI and paged with a cursor that is the last URI of the previous page.
func (r *resources) listHook(ctx context.Context, _ any, req *mcp.ListResourcesRequest, res *mcp.ListResourcesResult) {
	cur, err := r.currentContext()
	if err != nil {
		res.Resources = []mcp.Resource{}
		res.NextCursor = ""
		return
	}
	all := []mcp.Resource{mcp.NewResource(resourceRef{Context: cur, Summary: true}.URI(), cur+" summary",
		mcp.WithResourceDescription("Flux objects of context "+cur+": counts per kind and the failing ones"),
		mcp.WithMIMEType(jsonMIME))}
	if r.subs != nil {
		r.subs.listen(ctx, cur)
	}
	if got, err := r.list(ctx, cur); err == nil {
		for _, it := range got.Items {
			desc := it.Kind + " " + it.Namespace + "/" + it.Name
			if it.Ready != "" {
				desc += " Ready=" + it.Ready
			}
			all = append(all, mcp.NewResource(objectURI(cur, it), strings.ToLower(it.Kind)+"/"+it.Namespace+"/"+it.Name,
				mcp.WithResourceDescription(desc), mcp.WithMIMEType(jsonMIME)))
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].URI < all[j].URI })
	start := 0
	if c := string(req.Params.Cursor); c != "" {
		if last, err := base64.StdEncoding.DecodeString(c); err == nil {
			start = sort.Search(len(all), func(i int) bool { return all[i].URI > string(last) })
		}
	}
	end := min(start+pageSize, len(all))
	res.Resources = all[start:end]
	res.NextCursor = ""
	if end < len(all) {
		res.NextCursor = mcp.Cursor(base64.StdEncoding.EncodeToString([]byte(all[end-1].URI)))
	}
}

// read returns one resource: an object's compact status (the get operation's Item) or a summary.
func (r *resources) read(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
	ref, err := parseURI(req.Params.URI)
	if err != nil {
		return nil, err
	}
	var body any
	if ref.Summary {
		got, err := r.list(ctx, ref.Context)
		if err != nil {
			return nil, cluster.Explain(err)
		}
		body = newSummary(ref.Context, got)
	} else {
		got, err := operation.Execute(ctx, r.clients, &get.Options{Kind: ref.Kind, Names: []string{ref.Name},
			Namespace: ref.Namespace, Context: r.contextArg(ref.Context)})
		if err != nil {
			return nil, cluster.Explain(err)
		}
		if len(got.Items) != 1 {
			return nil, fmt.Errorf("%s %q not found in namespace %q", ref.Kind, ref.Name, ref.Namespace)
		}
		body = got.Items[0]
	}
	raw, err := json.MarshalIndent(body, "", "  ")
	if err != nil {
		return nil, err
	}
	return []mcp.ResourceContents{mcp.TextResourceContents{URI: req.Params.URI, MIMEType: jsonMIME, Text: string(raw)}}, nil
}

// Summary is a cluster at a glance: how many objects of each kind, and which are failing.
type Summary struct {
	Context      string                 `json:"context"`
	Kinds        map[string]KindSummary `json:"kinds"`
	Failing      []FailingItem          `json:"failing"`
	NotInstalled []string               `json:"notInstalled,omitempty"`
}

// KindSummary counts the objects of one kind.
type KindSummary struct {
	Total     int `json:"total"`
	Ready     int `json:"ready"`
	Failing   int `json:"failing"`
	Suspended int `json:"suspended"`
}

// FailingItem is an object whose Ready condition is False.
type FailingItem struct {
	URI     string `json:"uri"`
	Reason  string `json:"reason,omitempty"`
	Message string `json:"message,omitempty"`
}

func newSummary(contextName string, r *get.Result) Summary {
	s := Summary{Context: contextName, Kinds: map[string]KindSummary{}, Failing: []FailingItem{}, NotInstalled: r.NotInstalled}
	for _, it := range r.Items {
		k := s.Kinds[it.Kind]
		k.Total++
		switch it.Ready {
		case "True":
			k.Ready++
		case "False":
			k.Failing++
			s.Failing = append(s.Failing, FailingItem{URI: objectURI(contextName, it), Reason: it.Reason, Message: it.Message})
		}
		if it.Suspended {
			k.Suspended++
		}
		s.Kinds[it.Kind] = k
	}
	return s
}

// maskResources is the output filter of resources/read: the same masking as tool results.
func maskResources(o Options) server.ResourceHandlerMiddleware {
	return func(next server.ResourceHandlerFunc) server.ResourceHandlerFunc {
		return func(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			out, err := next(ctx, req)
			if err != nil || !o.MaskSecrets {
				return out, err
			}
			for i, c := range out {
				t, ok := c.(mcp.TextResourceContents)
				if !ok {
					continue // blobs: this server serves none of its own
				}
				var generic any
				if json.Unmarshal([]byte(t.Text), &generic) != nil {
					t.Text = maskText(t.Text, secretValues{})
					out[i] = t
					continue
				}
				raw, err := json.MarshalIndent(maskStrings(maskValue(generic, secretValues{})), "", "  ")
				if err != nil {
					return nil, errors.New("the resource could not be checked for secrets and was withheld")
				}
				t.Text = string(raw)
				out[i] = t
			}
			return out, nil
		}
	}
}

// addResources registers the templates (reads of any flux:// URI go through them) and the list hook.
func (r *resources) add(s *server.MCPServer) {
	s.AddResourceTemplate(mcp.NewResourceTemplate(objectTemplate, "Flux object",
		mcp.WithTemplateDescription("The status of one Flux object, as get_flux_resources reports it: Ready, reason, message, revision, suspension."),
		mcp.WithTemplateMIMEType(jsonMIME)), r.read)
	s.AddResourceTemplate(mcp.NewResourceTemplate(summaryTemplate, "Flux summary",
		mcp.WithTemplateDescription("Counts of Flux objects per kind in a cluster, and the failing ones."),
		mcp.WithTemplateMIMEType(jsonMIME)), r.read)
}
