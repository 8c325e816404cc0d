// Package graph builds the dependsOn graph of Flux Kustomizations and HelmReleases with their
// source edges, and the Index of listed Flux objects that diagnose shares with it.
package graph

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
)

// Index holds Flux objects listed per kind and namespace, so that following references
// (sources, dependsOn) costs one list per kind and namespace instead of one GET per reference.
// Lists that fail (forbidden, kind not installed) are remembered with their reason, so a reader
// can say what it could not see and keep going.
type Index struct {
	clients *cluster.Clients

	mu      sync.Mutex
	objects map[string]*unstructured.Unstructured // by ID
	loaded  map[string]bool                       // kind + "/" + namespace ("" = all namespaces)
	failed  map[string]string                     // same keys: why the list failed
}

// NewIndex returns an empty index over the clients.
func NewIndex(cl *cluster.Clients) *Index {
	return &Index{clients: cl, objects: map[string]*unstructured.Unstructured{}, loaded: map[string]bool{}, failed: map[string]string{}}
}

// ID names a Flux object as Kind/namespace/name.
func ID(kind, namespace, name string) string { return kind + "/" + namespace + "/" + name }

// IDOf is ID for an object.
func IDOf(obj *unstructured.Unstructured) string {
	return ID(obj.GetKind(), obj.GetNamespace(), obj.GetName())
}

// Load lists the kinds in the namespace ("" for all namespaces) concurrently. Failures are
// recorded, not returned; a kind that is not installed is recorded too.
func (x *Index) Load(ctx context.Context, namespace string, kinds ...fluxkinds.Kind) {
	var wg sync.WaitGroup
	for _, k := range kinds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x.load(ctx, k, namespace)
		}()
	}
	wg.Wait()
}

func (x *Index) load(ctx context.Context, k fluxkinds.Kind, namespace string) {
	key := k.Kind + "/" + namespace
	x.mu.Lock()
	done := x.loaded[key] || x.loaded[k.Kind+"/"]
	x.mu.Unlock()
	if done {
		return
	}
	items, err := x.list(ctx, k, namespace)
	x.mu.Lock()
	defer x.mu.Unlock()
	x.loaded[key] = true
	if err != nil {
		x.failed[key] = err.Error()
		return
	}
	for _, obj := range items {
		x.objects[IDOf(obj)] = obj
	}
}

func (x *Index) list(ctx context.Context, k fluxkinds.Kind, namespace string) ([]*unstructured.Unstructured, error) {
	m, err := x.clients.ResolveKind(k)
	if err != nil {
		return nil, err
	}
	opts := metav1.ListOptions{Limit: 500}
	var out []*unstructured.Unstructured
	for {
		list, err := x.clients.Dynamic.Resource(m.Resource).Namespace(namespace).List(ctx, opts)
		if err != nil {
			return nil, cluster.Explain(err)
		}
		for i := range list.Items {
			obj := &list.Items[i]
			if obj.GetKind() == "" {
				obj.SetGroupVersionKind(m.GroupVersionKind)
			}
			out = append(out, obj)
		}
		if list.GetContinue() == "" {
			return out, nil
		}
		opts.Continue = list.GetContinue()
	}
}

// Get returns the object, listing its kind in its namespace first if that was not done yet.
// found is false when the object does not exist; why says why it could not be read, when it could not.
func (x *Index) Get(ctx context.Context, kind, namespace, name string) (obj *unstructured.Unstructured, why string) {
	k, err := fluxkinds.Lookup(kind)
	if err != nil {
		return nil, err.Error()
	}
	x.load(ctx, k, namespace)
	x.mu.Lock()
	defer x.mu.Unlock()
	if o, ok := x.objects[ID(k.Kind, namespace, name)]; ok {
		return o, ""
	}
	if w, ok := x.failed[k.Kind+"/"+namespace]; ok {
		return nil, w
	}
	if w, ok := x.failed[k.Kind+"/"]; ok && !x.loaded[k.Kind+"/"+namespace] {
		return nil, w
	}
	return nil, ""
}

// Objects returns the loaded objects of the kind, sorted by namespace and name.
func (x *Index) Objects(kind string) []*unstructured.Unstructured {
	x.mu.Lock()
	defer x.mu.Unlock()
	var out []*unstructured.Unstructured
	for _, o := range x.objects {
		if o.GetKind() == kind {
			out = append(out, o)
		}
	}
	sort.Slice(out, func(i, j int) bool { return IDOf(out[i]) < IDOf(out[j]) })
	return out
}

// Failures lists what could not be read, as "Kind in namespace: reason", sorted.
func (x *Index) Failures() []string {
	x.mu.Lock()
	defer x.mu.Unlock()
	var out []string
	for key, why := range x.failed {
		kind, ns, _ := strings.Cut(key, "/")
		where := "all namespaces"
		if ns != "" {
			where = "namespace " + ns
		}
		out = append(out, fmt.Sprintf("%s in %s: %s", kind, where, why))
	}
	sort.Strings(out)
	return out
}

// IsForbidden tells whether a recorded reason is an authorization failure.
func IsForbidden(why string) bool {
	return strings.Contains(why, "forbidden") || strings.Contains(why, "cannot list") || strings.Contains(why, "cannot get")
}

// Dependency is one entry of spec.dependsOn, resolved to a kind and namespace.
type Dependency struct {
	Kind, Namespace, Name string
	Index                 int
}

// DependsOn reads spec.dependsOn of a Kustomization or HelmRelease. An entry names an object of
// the same kind unless it says otherwise; its namespace defaults to the dependent's.
func DependsOn(obj *unstructured.Unstructured) []Dependency {
	list, _, _ := unstructured.NestedSlice(obj.Object, "spec", "dependsOn")
	var out []Dependency
	for i, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			continue
		}
		d := Dependency{Kind: obj.GetKind(), Namespace: obj.GetNamespace(), Index: i}
		d.Name, _ = m["name"].(string)
		if ns, _ := m["namespace"].(string); ns != "" {
			d.Namespace = ns
		}
		if k, _ := m["kind"].(string); k != "" {
			d.Kind = k
		}
		if d.Name != "" {
			out = append(out, d)
		}
	}
	return out
}

// ID is the dependency's ID.
func (d Dependency) ID() string { return ID(d.Kind, d.Namespace, d.Name) }
