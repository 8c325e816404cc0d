package graph

import (
	"context"
	"errors"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
)

// Options selects the namespace (or all) whose Kustomizations and HelmReleases make the graph.
type Options struct {
	Namespace     string
	AllNamespaces bool
	Context       string

	clients *cluster.Clients
}

// Node is a Kustomization, HelmRelease or source in the graph.
type Node struct {
	ID        string   `json:"id" jsonschema:"Kind/namespace/name"`
	Kind      string   `json:"kind"`
	Namespace string   `json:"namespace"`
	Name      string   `json:"name"`
	Exists    bool     `json:"exists" jsonschema:"False for a dependency or source that is referenced but does not exist"`
	Ready     string   `json:"ready,omitempty" jsonschema:"Status of the Ready condition: True, False or Unknown; empty when there is none"`
	Reason    string   `json:"reason,omitempty"`
	Message   string   `json:"message,omitempty"`
	Suspended bool     `json:"suspended,omitempty"`
	Error     string   `json:"error,omitempty" jsonschema:"Why the node's state could not be read (e.g. list forbidden)"`
	Failing   bool     `json:"failing" jsonschema:"True when the node is missing, unreadable, suspended or not Ready"`
	BlockedBy []string `json:"blockedBy,omitempty" jsonschema:"Failing nodes upstream (dependencies and sources, transitively) that hold this node back"`
	Blocks    []string `json:"blocks,omitempty" jsonschema:"For a failing node: the nodes downstream of it (transitively)"`
}

// Edge points from a dependent to what it needs.
type Edge struct {
	From string `json:"from" jsonschema:"The dependent"`
	To   string `json:"to" jsonschema:"The dependency or source"`
	Type string `json:"type" jsonschema:"dependsOn or source"`
}

// Result is the graph.
type Result struct {
	Nodes   []Node     `json:"nodes"`
	Edges   []Edge     `json:"edges"`
	Cycles  [][]string `json:"cycles,omitempty" jsonschema:"dependsOn cycles, each as the IDs in the cycle"`
	Missing []Edge     `json:"missing,omitempty" jsonschema:"Edges whose target does not exist"`
	Unread  []string   `json:"unread,omitempty" jsonschema:"What could not be listed, and why"`
}

// Complete resolves the clients and the default namespace.
func (o *Options) Complete(c *cluster.Cache) error {
	cl, err := c.ForNamespace(o.Context, &o.Namespace, o.AllNamespaces)
	if err != nil {
		return err
	}
	o.clients = cl
	return nil
}

// Validate has nothing to check beyond Complete: every namespace is a valid scope.
func (o *Options) Validate() error { return nil }

// Kinds are the kinds whose dependsOn and sources make the graph.
var appKinds = []string{"Kustomization", "HelmRelease"}

// Run lists Kustomizations, HelmReleases and sources in scope and builds the graph.
func (o *Options) Run(ctx context.Context) (*Result, error) {
	x := NewIndex(o.clients)
	var kinds []fluxkinds.Kind
	for _, k := range fluxkinds.All() {
		if k.Group == fluxkinds.SourceGroup || k.Kind == "Kustomization" || k.Kind == "HelmRelease" {
			kinds = append(kinds, k)
		}
	}
	x.Load(ctx, o.Namespace, kinds...)
	if len(x.Objects("Kustomization")) == 0 && len(x.Objects("HelmRelease")) == 0 {
		if f := x.Failures(); len(f) > 0 && allAppKindsFailed(f) {
			return nil, errors.New("cannot list Kustomizations or HelmReleases: " + strings.Join(f, "; "))
		}
	}
	return Build(ctx, x, appObjects(x)), nil
}

func allAppKindsFailed(failures []string) bool {
	n := 0
	for _, f := range failures {
		if strings.HasPrefix(f, "Kustomization ") || strings.HasPrefix(f, "HelmRelease ") {
			n++
		}
	}
	return n == len(appKinds)
}

func appObjects(x *Index) []*unstructured.Unstructured {
	var out []*unstructured.Unstructured
	for _, k := range appKinds {
		out = append(out, x.Objects(k)...)
	}
	return out
}

// Build makes the graph from the roots, following dependsOn and source references through the
// index (which lists a kind in a namespace the first time a reference leads there).
func Build(ctx context.Context, x *Index, roots []*unstructured.Unstructured) *Result {
	res := &Result{Nodes: []Node{}, Edges: []Edge{}}
	nodes := map[string]*Node{}
	var order []string
	add := func(kind, ns, name string, obj *unstructured.Unstructured, why string) *Node {
		id := ID(kind, ns, name)
		if n, ok := nodes[id]; ok {
			return n
		}
		n := &Node{ID: id, Kind: kind, Namespace: ns, Name: name}
		fill(n, obj, why)
		nodes[id] = n
		order = append(order, id)
		return n
	}
	queue := append([]*unstructured.Unstructured(nil), roots...)
	for _, r := range roots {
		add(r.GetKind(), r.GetNamespace(), r.GetName(), r, "")
	}
	for len(queue) > 0 {
		obj := queue[0]
		queue = queue[1:]
		from := IDOf(obj)
		k, err := fluxkinds.Lookup(obj.GetKind())
		if err != nil {
			continue
		}
		if src, ok := k.SourceOf(obj); ok {
			sobj, why := x.Get(ctx, src.Kind, src.Namespace, src.Name)
			fresh := nodes[ID(src.Kind, src.Namespace, src.Name)] == nil
			n := add(src.Kind, src.Namespace, src.Name, sobj, why)
			e := Edge{From: from, To: n.ID, Type: "source"}
			res.Edges = append(res.Edges, e)
			if !n.Exists && n.Error == "" {
				res.Missing = append(res.Missing, e)
			}
			if fresh && sobj != nil && sobj.GetKind() == "HelmChart" {
				queue = append(queue, sobj)
			}
		}
		for _, d := range DependsOn(obj) {
			dobj, why := x.Get(ctx, d.Kind, d.Namespace, d.Name)
			fresh := nodes[d.ID()] == nil
			n := add(d.Kind, d.Namespace, d.Name, dobj, why)
			e := Edge{From: from, To: n.ID, Type: "dependsOn"}
			res.Edges = append(res.Edges, e)
			if !n.Exists && n.Error == "" {
				res.Missing = append(res.Missing, e)
			}
			if fresh && dobj != nil {
				queue = append(queue, dobj)
			}
		}
	}
	res.Cycles = cycles(order, res.Edges)
	blocking(nodes, res.Edges)
	sort.Strings(order)
	for _, id := range order {
		res.Nodes = append(res.Nodes, *nodes[id])
	}
	res.Unread = x.Failures()
	return res
}

func fill(n *Node, obj *unstructured.Unstructured, why string) {
	switch {
	case obj != nil:
		n.Exists = true
		if c, ok := fluxkinds.FindCondition(obj, "Ready"); ok {
			n.Ready, n.Reason, n.Message = c.Status, c.Reason, c.Message
		}
		if k, err := fluxkinds.Lookup(obj.GetKind()); err == nil {
			n.Suspended = k.Suspended(obj)
		}
	case why != "":
		n.Error = why
	}
	n.Failing = !n.Exists || n.Suspended || (n.Ready != "" && n.Ready != "True")
}

// cycles finds the strongly connected components of the dependsOn edges (Tarjan) that are cycles.
func cycles(ids []string, edges []Edge) [][]string {
	adj := map[string][]string{}
	self := map[string]bool{}
	for _, e := range edges {
		if e.Type != "dependsOn" {
			continue
		}
		adj[e.From] = append(adj[e.From], e.To)
		if e.From == e.To {
			self[e.From] = true
		}
	}
	index, low := map[string]int{}, map[string]int{}
	onStack := map[string]bool{}
	var stack []string
	var out [][]string
	next := 0
	var visit func(v string)
	visit = func(v string) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range adj[v] {
			if _, seen := index[w]; !seen {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			var comp []string
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				comp = append(comp, w)
				if w == v {
					break
				}
			}
			if len(comp) > 1 || self[v] {
				sort.Strings(comp)
				out = append(out, comp)
			}
		}
	}
	sorted := append([]string(nil), ids...)
	sort.Strings(sorted)
	for _, id := range sorted {
		if _, seen := index[id]; !seen {
			visit(id)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// blocking sets BlockedBy (failing nodes upstream, transitively) and Blocks (its reverse).
func blocking(nodes map[string]*Node, edges []Edge) {
	up := map[string][]string{}
	for _, e := range edges {
		up[e.From] = append(up[e.From], e.To)
	}
	blocks := map[string]map[string]bool{}
	for id, n := range nodes {
		seen := map[string]bool{id: true}
		stack := append([]string(nil), up[id]...)
		var by []string
		for len(stack) > 0 {
			cur := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[cur] {
				continue
			}
			seen[cur] = true
			if nodes[cur].Failing {
				by = append(by, cur)
				if blocks[cur] == nil {
					blocks[cur] = map[string]bool{}
				}
				blocks[cur][id] = true
			}
			stack = append(stack, up[cur]...)
		}
		sort.Strings(by)
		n.BlockedBy = by
	}
	for id, set := range blocks {
		for d := range set {
			nodes[id].Blocks = append(nodes[id].Blocks, d)
		}
		sort.Strings(nodes[id].Blocks)
	}
}

// Node returns the node with the ID, or nil.
func (r *Result) Node(id string) *Node {
	for i := range r.Nodes {
		if r.Nodes[i].ID == id {
			return &r.Nodes[i]
		}
	}
	return nil
}
