package main

import (
	"context"
	"fmt"
	"net/http"
	"path"
	"sort"
	"strings"
	"sync"

	"k8s.io/client-go/rest"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/get"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

// requestCounter records the API requests a client makes, by method and path: the evidence that
// a get reads one list per kind, however many objects there are (no request per object, no
// paging of a whole list into many).
type requestCounter struct {
	next http.RoundTripper
	mu   *sync.Mutex
	seen map[string]int
}

func (c requestCounter) RoundTrip(req *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.seen[req.Method+" "+req.URL.Path]++
	c.mu.Unlock()
	return c.next.RoundTrip(req)
}

// countGetRequests runs the get operation once, untimed, on a client cache of its own (the
// discovery documents come from the warm disk cache) and describes the requests it made.
func (b *bench) countGetRequests(ctx context.Context, kind string) string {
	seen, mu := map[string]int{}, &sync.Mutex{}
	cache := b.newCacheWrapped(func(cfg *rest.Config) *rest.Config {
		cfg.Wrap(func(rt http.RoundTripper) http.RoundTripper { return requestCounter{next: rt, mu: mu, seen: seen} })
		return cfg
	})
	res, err := operation.Execute(ctx, cache, &get.Options{Kind: kind, AllNamespaces: true})
	if err != nil {
		return "counting requests: " + err.Error()
	}
	mu.Lock()
	defer mu.Unlock()
	total, lists, most := 0, 0, 0
	var kinds []string
	for p, n := range seen {
		total += n
		most = max(most, n)
		// A cluster-wide list is GET /apis/GROUP/VERSION/PLURAL (or /api/v1/PLURAL): no namespace,
		// no name.
		parts := strings.Split(strings.Trim(strings.TrimPrefix(p, "GET "), "/"), "/")
		if strings.HasPrefix(p, "GET ") && ((parts[0] == "apis" && len(parts) == 4) || (parts[0] == "api" && len(parts) == 3)) {
			lists += n
			kinds = append(kinds, path.Base(p))
		}
	}
	sort.Strings(kinds)
	return fmt.Sprintf("API requests of one get (%d objects): %d, of which %d cluster-wide lists of %d kinds; at most %d to one path",
		len(res.Items), total, lists, len(kinds), most)
}

// newCacheWrapped is newCache with a wrapper around every client's transport.
func (b *bench) newCacheWrapped(wrap func(*rest.Config) *rest.Config) *cluster.Cache {
	flags := b.configFlags()
	flags.WrapConfigFn = wrap
	return cluster.NewCache(flags)
}
