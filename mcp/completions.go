package mcp

import (
	"context"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/get"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

// completionTTL is how long values read from a cluster are reused: completion runs on every
// keystroke, and a list per keystroke would load the API server for nothing.
const completionTTL = 10 * time.Second

// maxCompletions is the protocol's limit on values per answer.
const maxCompletions = 100

// fluxCompleter answers completion/complete for the variables of the flux:// templates.
type fluxCompleter struct {
	clients *cluster.Cache
	now     func() time.Time

	mu    sync.Mutex
	cache map[string]cachedValues
}

type cachedValues struct {
	values []string
	at     time.Time
}

func newFluxCompleter(clients *cluster.Cache) *fluxCompleter {
	return &fluxCompleter{clients: clients, now: time.Now, cache: map[string]cachedValues{}}
}

// CompleteResourceArgument offers contexts, namespaces, kinds and names; namespaces and names
// come from the context (and namespace and kind) already chosen in the other arguments.
func (c *fluxCompleter) CompleteResourceArgument(ctx context.Context, _ string, arg mcp.CompleteArgument, cc mcp.CompleteContext) (*mcp.Completion, error) {
	kubeContext := cc.Arguments["context"]
	var values []string
	var err error
	switch arg.Name {
	case "context":
		values, err = c.cached("contexts", func() ([]string, error) { return c.contexts() })
	case "kind":
		for _, k := range fluxkinds.All() {
			values = append(values, k.Kind)
		}
	case "namespace":
		values, err = c.cached("ns\x00"+kubeContext, func() ([]string, error) { return c.namespaces(ctx, kubeContext) })
	case "name":
		ns, kind := cc.Arguments["namespace"], cc.Arguments["kind"]
		if kind == "" {
			kind = get.AllKinds
		}
		values, err = c.cached("name\x00"+kubeContext+"\x00"+ns+"\x00"+kind, func() ([]string, error) {
			return c.names(ctx, kubeContext, ns, kind)
		})
	}
	if err != nil {
		// Completion is a convenience: no values rather than an error the user cannot act on.
		values = nil
	}
	return match(values, arg.Value), nil
}

// cached returns the values under key, read again when older than completionTTL.
func (c *fluxCompleter) cached(key string, read func() ([]string, error)) ([]string, error) {
	c.mu.Lock()
	v, ok := c.cache[key]
	c.mu.Unlock()
	if ok && c.now().Sub(v.at) < completionTTL {
		return v.values, nil
	}
	values, err := read()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.cache[key] = cachedValues{values: values, at: c.now()}
	c.mu.Unlock()
	return values, nil
}

func (c *fluxCompleter) contexts() ([]string, error) {
	raw, err := c.clients.Flags().ToRawKubeConfigLoader().RawConfig()
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(raw.Contexts))
	for n := range raw.Contexts {
		out = append(out, n)
	}
	return out, nil
}

// namespaces lists the cluster's namespaces, or, for a user who may not list them, the namespaces
// that hold Flux objects.
func (c *fluxCompleter) namespaces(ctx context.Context, kubeContext string) ([]string, error) {
	cl, err := c.clients.For(c.contextArg(kubeContext))
	if err != nil {
		return nil, err
	}
	list, err := cl.Kube.CoreV1().Namespaces().List(ctx, metav1.ListOptions{})
	if err == nil {
		out := make([]string, 0, len(list.Items))
		for _, ns := range list.Items {
			out = append(out, ns.Name)
		}
		return out, nil
	}
	res, err := operation.Execute(ctx, c.clients, &get.Options{Kind: get.AllKinds, AllNamespaces: true, Context: c.contextArg(kubeContext), ItemsOnly: true})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []string
	for _, it := range res.Items {
		if !seen[it.Namespace] {
			seen[it.Namespace] = true
			out = append(out, it.Namespace)
		}
	}
	return out, nil
}

func (c *fluxCompleter) names(ctx context.Context, kubeContext, ns, kind string) ([]string, error) {
	o := &get.Options{Kind: kind, Namespace: ns, AllNamespaces: ns == "", Context: c.contextArg(kubeContext), ItemsOnly: true}
	res, err := operation.Execute(ctx, c.clients, o)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []string
	for _, it := range res.Items {
		if !seen[it.Name] {
			seen[it.Name] = true
			out = append(out, it.Name)
		}
	}
	return out, nil
}

// contextArg maps the current context's own name onto "" so that it shares its cached clients.
func (c *fluxCompleter) contextArg(name string) string {
	if cl, err := c.clients.For(""); err == nil && cl.Context == name {
		return ""
	}
	return name
}

// match keeps the values that start with prefix (case-insensitively), sorted, at most 100.
func match(values []string, prefix string) *mcp.Completion {
	out := []string{}
	p := strings.ToLower(prefix)
	for _, v := range values {
		if strings.HasPrefix(strings.ToLower(v), p) {
			out = append(out, v)
		}
	}
	sort.Strings(out)
	total := len(out)
	if total > maxCompletions {
		out = out[:maxCompletions]
	}
	return &mcp.Completion{Values: out, Total: total, HasMore: total > maxCompletions}
}
