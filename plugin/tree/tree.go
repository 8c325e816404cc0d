// Package tree shows what a Flux object applied, with the live state of every object: the
// operation behind `kubectl flux-mcp tree` and the MCP tool get_flux_tree. Kustomizations,
// ResourceSets and FluxInstances record their objects in status.inventory; a HelmRelease's objects
// are the manifest of its Helm release. Nested Flux objects expand in turn.
package tree

import (
	"context"
	"errors"
	"fmt"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/metadata"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
)

// Options are the inputs of a tree.
type Options struct {
	// Kind is Kustomization, HelmRelease, ResourceSet or FluxInstance, in any of their names.
	Kind      string
	Name      string
	Namespace string
	// Depth is how many levels of inventory to show; 0 shows them all.
	Depth int
	// Context is the kubeconfig context; "" means the current one.
	Context string

	clients  *cluster.Clients
	metadata metadata.Interface
	kind     fluxkinds.Kind
}

// Node is one object of the tree. The tree is a flat list in depth-first order: each node names its
// parent by index (JSON schemas, which tools publish, cannot describe recursive types).
type Node struct {
	Depth      int    `json:"depth" jsonschema:"Level in the tree: 0 for the root, 1 for what it applied, and so on"`
	Parent     int    `json:"parent" jsonschema:"Index in nodes of the object that applied this one; -1 for the root"`
	Kind       string `json:"kind"`
	Group      string `json:"group,omitempty"`
	APIVersion string `json:"apiVersion,omitempty"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name"`
	Exists     bool   `json:"exists" jsonschema:"Whether the object exists in the cluster now; false for an object the inventory records but that is gone, or whose state could not be read (see error)"`
	Ready      string `json:"ready,omitempty" jsonschema:"Status of the Ready condition: True, False or Unknown; empty when the object has none"`
	Message    string `json:"message,omitempty" jsonschema:"Message of the Ready condition"`
	Error      string `json:"error,omitempty" jsonschema:"Why the object's state is unknown (kind not served, list forbidden)"`
	Note       string `json:"note,omitempty" jsonschema:"Why the object's inventory is not shown, when it is not"`
}

// Ref renders Kind/namespace/name as the flux CLI shows objects.
func (n *Node) Ref() string {
	if n.Namespace == "" {
		return n.Kind + "/" + n.Name
	}
	return n.Kind + "/" + n.Namespace + "/" + n.Name
}

// Result is the tree of one Flux object.
type Result struct {
	// Nodes starts with the root, followed by the tree in depth-first order.
	Nodes []Node `json:"nodes" jsonschema:"The root first, then every object in depth-first order"`
	// Objects counts the nodes below the root.
	Objects  int `json:"objects"`
	Missing  int `json:"missing" jsonschema:"Objects the inventory records but the cluster does not have"`
	NotReady int `json:"notReady" jsonschema:"Objects whose Ready condition is not True"`
	Unknown  int `json:"unknown" jsonschema:"Objects whose state could not be read"`
	// Omitted and Notice are set by Compact.
	Omitted int    `json:"omitted,omitempty" jsonschema:"Objects left out of nodes to keep the answer small"`
	Notice  string `json:"notice,omitempty"`

	// text is the rendering of the whole tree, kept by Compact before it drops nodes.
	text string
}

// Root is the object whose tree this is.
func (r *Result) Root() *Node { return &r.Nodes[0] }

// Children returns, for each node, the indices of its children, in order.
func (r *Result) Children() [][]int {
	out := make([][]int, len(r.Nodes))
	for i, n := range r.Nodes {
		if n.Parent >= 0 {
			out[n.Parent] = append(out[n.Parent], i)
		}
	}
	return out
}

// tnode is a node while the tree is built, breadth-first.
type tnode struct {
	Node
	children []*tnode
}

func (r *Result) flatten(n *tnode, parent, depth int) {
	n.Depth, n.Parent = depth, parent
	r.Nodes = append(r.Nodes, n.Node)
	self := len(r.Nodes) - 1
	for _, c := range n.children {
		r.flatten(c, self, depth+1)
	}
}

// Complete resolves the clients, the default namespace and the kind.
func (o *Options) Complete(c *cluster.Cache) error {
	cl, err := c.ForNamespace(o.Context, &o.Namespace, false)
	if err != nil {
		return err
	}
	o.clients = cl
	if o.metadata, err = metadata.NewForConfig(cl.Config); err != nil {
		return err
	}
	if strings.TrimSpace(o.Kind) == "" {
		return errors.New("a kind is required: Kustomization (ks), HelmRelease (hr), ResourceSet (rset) or FluxInstance (fi)")
	}
	o.kind, err = fluxkinds.Lookup(o.Kind)
	return err
}

// Validate checks the inputs before any request.
func (o *Options) Validate() error {
	if !expandable(schema.GroupKind{Group: o.kind.Group, Kind: o.kind.Kind}) {
		return fmt.Errorf("%s has no inventory: tree works on Kustomization, HelmRelease, ResourceSet and FluxInstance", o.kind.Kind)
	}
	if strings.TrimSpace(o.Name) == "" {
		return fmt.Errorf("a name is required: the %s whose tree to show", o.kind.Kind)
	}
	if o.Depth < 0 {
		return fmt.Errorf("invalid depth %d: use 0 for no limit or a positive number of levels", o.Depth)
	}
	return nil
}

// HasInventory says whether tree can list the objects a kind applied; shell completion offers
// only these kinds.
func HasInventory(k fluxkinds.Kind) bool {
	return expandable(schema.GroupKind{Group: k.Group, Kind: k.Kind})
}

// expandable kinds are those whose objects the tree can list.
func expandable(gk schema.GroupKind) bool {
	switch gk {
	case schema.GroupKind{Group: fluxkinds.KustomizeGroup, Kind: "Kustomization"},
		schema.GroupKind{Group: fluxkinds.HelmGroup, Kind: "HelmRelease"},
		schema.GroupKind{Group: fluxkinds.OperatorGroup, Kind: "ResourceSet"},
		schema.GroupKind{Group: fluxkinds.OperatorGroup, Kind: "FluxInstance"}:
		return true
	}
	return false
}

// pending is a node whose inventory is to be read, with its live object and the tree it is in.
type pending struct {
	node *tnode
	obj  *unstructured.Unstructured
	root int
}

// Run reads the root, then the tree level by level: each level's objects are read with one list
// per kind (and namespace), never one request per object.
func (o *Options) Run(ctx context.Context) (*Result, error) {
	root, err := o.getRoot(ctx)
	if err != nil {
		return nil, err
	}
	res, err := o.grow(ctx, []*unstructured.Unstructured{root})
	if err != nil {
		return nil, err
	}
	return res[0], nil
}

// Forest builds the trees of many objects already read (Kustomizations, HelmReleases,
// ResourceSets, FluxInstances) at once, in the given context: each level of all the trees is read
// together, with one list per kind and namespace, so that diagnosing every failing object does
// not cost one tree's requests per object.
func Forest(ctx context.Context, c *cluster.Cache, context string, roots []*unstructured.Unstructured) ([]*Result, error) {
	cl, err := c.For(context)
	if err != nil {
		return nil, err
	}
	o := &Options{Context: context, clients: cl, Namespace: cl.Namespace}
	if o.metadata, err = metadata.NewForConfig(cl.Config); err != nil {
		return nil, err
	}
	return o.grow(ctx, roots)
}

// grow builds one tree per root, level by level across all of them.
func (o *Options) grow(ctx context.Context, roots []*unstructured.Unstructured) ([]*Result, error) {
	type treeKey struct {
		root int
		key  objKey
	}
	results := make([]*Result, len(roots))
	tops := make([]*tnode, len(roots))
	seen := map[treeKey]bool{}
	var level []pending
	for i, root := range roots {
		results[i], tops[i] = &Result{}, nodeOf(root)
		seen[treeKey{i, keyOf(root)}] = true
		level = append(level, pending{node: tops[i], obj: root, root: i})
	}
	for depth := 1; len(level) > 0; depth++ {
		if o.Depth > 0 && depth > o.Depth {
			for _, p := range level {
				p.node.Note = fmt.Sprintf("inventory not shown: depth limit %d reached", o.Depth)
			}
			break
		}
		children, err := o.inventories(ctx, level)
		if err != nil {
			return nil, err
		}
		var all []*ref
		for _, refs := range children {
			all = append(all, refs...)
		}
		state := o.readLive(ctx, all)
		var next []pending
		for i, p := range level {
			for _, r := range children[i] {
				n, obj := o.childNode(r, state)
				p.node.children = append(p.node.children, n)
				results[p.root].count(&n.Node)
				if k := (treeKey{p.root, r.key()}); obj != nil && expandable(r.GroupKind) && !seen[k] {
					seen[k] = true
					next = append(next, pending{node: n, obj: obj, root: p.root})
				}
			}
		}
		level = next
	}
	for i, top := range tops {
		results[i].flatten(top, -1, 0)
	}
	return results, nil
}

func (r *Result) count(n *Node) {
	r.Objects++
	switch {
	case n.Error != "":
		r.Unknown++
	case !n.Exists:
		r.Missing++
	case n.Ready != "" && n.Ready != "True":
		r.NotReady++
	}
}

func (o *Options) getRoot(ctx context.Context) (*unstructured.Unstructured, error) {
	mapping, err := o.clients.ResolveKind(o.kind)
	if err != nil {
		return nil, err
	}
	ri := o.clients.Dynamic.Resource(mapping.Resource).Namespace(o.Namespace)
	obj, err := ri.Get(ctx, o.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, cluster.NotFound(ctx, ri, err, o.kind.Kind, o.Namespace, o.Name)
	}
	if err != nil {
		return nil, cluster.Explain(err)
	}
	return obj, nil
}

// inventories returns the refs each pending node applied. Inventory kinds carry them in status;
// HelmReleases need their release Secrets, read with one list per storage namespace.
func (o *Options) inventories(ctx context.Context, level []pending) ([][]*ref, error) {
	out := make([][]*ref, len(level))
	targets := map[int]helmTarget{}
	var list []helmTarget
	for i, p := range level {
		if _, remote, _ := unstructured.NestedMap(p.obj.Object, "spec", "kubeConfig"); remote {
			p.node.Note = "inventory not shown: the objects are applied to a remote cluster (spec.kubeConfig)"
			continue
		}
		_, recorded, _ := unstructured.NestedSlice(p.obj.Object, "status", "inventory", "entries")
		if p.node.Kind == "HelmRelease" && !recorded {
			// helm-controller records status.inventory since v1.4; before, the release is the record.
			targets[i] = helmTargetOf(p.obj)
			list = append(list, targets[i])
			continue
		}
		refs, ok, err := inventoryOf(p.obj)
		if err != nil {
			return nil, err
		}
		if !ok {
			p.node.Note = "no inventory recorded in status.inventory"
		}
		self := keyOf(p.obj)
		for j := range refs {
			// A Kustomization may list itself (it applies its own definition): not a child.
			if refs[j].key() != self {
				out[i] = append(out[i], &refs[j])
			}
		}
	}
	if len(list) == 0 {
		return out, nil
	}
	helmRefs, notes, err := o.helmInventories(ctx, list)
	if err != nil {
		return nil, err
	}
	for i, t := range targets {
		if note, ok := notes[t]; ok {
			level[i].node.Note = note
		}
		for j := range helmRefs[t] {
			r := helmRefs[t][j]
			out[i] = append(out[i], &r)
		}
	}
	return out, nil
}

// childNode builds the node of a ref from the live state; obj is the live object, if any.
func (o *Options) childNode(r *ref, l *live) (*tnode, *unstructured.Unstructured) {
	n := &tnode{}
	n.Node = Node{Kind: r.GroupKind.Kind, Group: r.GroupKind.Group, Namespace: r.Namespace, Name: r.Name}
	if r.Version != "" {
		n.APIVersion = schema.GroupVersion{Group: r.GroupKind.Group, Version: r.Version}.String()
	}
	obj, unknown := l.state(*r)
	if obj == nil {
		n.Error = unknown
		return n, nil
	}
	n.Exists = true
	n.APIVersion = obj.GetAPIVersion()
	if c, ok := fluxkinds.FindCondition(obj, "Ready"); ok {
		n.Ready, n.Message = c.Status, c.Message
	}
	return n, obj
}

func nodeOf(obj *unstructured.Unstructured) *tnode {
	gvk := obj.GroupVersionKind()
	n := &tnode{Node: Node{Kind: gvk.Kind, Group: gvk.Group, APIVersion: obj.GetAPIVersion(), Namespace: obj.GetNamespace(), Name: obj.GetName(), Exists: true}}
	if c, ok := fluxkinds.FindCondition(obj, "Ready"); ok {
		n.Ready, n.Message = c.Status, c.Message
	}
	return n
}

func keyOf(obj *unstructured.Unstructured) objKey {
	return objKey{gk: obj.GroupVersionKind().GroupKind(), namespace: obj.GetNamespace(), name: obj.GetName()}
}
