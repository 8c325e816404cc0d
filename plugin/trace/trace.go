// Package trace finds how an object came to be in the cluster: the Flux object that applied it,
// the one that applied that, up to the top, with each level's readiness, revision and source. It
// is the operation behind `kubectl flux-mcp trace` and the MCP tool trace_flux_resource.
package trace

import (
	"context"
	"errors"
	"fmt"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
)

// maxLevels bounds the walk up the chain; real chains are a handful of levels deep.
const maxLevels = 16

// Options are the inputs of a trace.
type Options struct {
	// Kind is any kind the cluster serves, as kubectl accepts it: Kind, plural, short name, or
	// resource.group.
	Kind string
	Name string
	// Namespace of the object (ignored for cluster-scoped kinds).
	Namespace string
	// APIVersion, when given, qualifies Kind (e.g. apps/v1).
	APIVersion string
	// Context is the kubeconfig context; "" means the current one.
	Context string

	clients *cluster.Clients
	mapping *meta.RESTMapping
}

// Level is one step of the chain: the traced object first, then what applied it, and so on.
type Level struct {
	Kind       string `json:"kind"`
	APIVersion string `json:"apiVersion,omitempty"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name"`
	Via        string `json:"via,omitempty" jsonschema:"How this level was found from the one before: the label naming it, or ownerReference"`
	Exists     bool   `json:"exists" jsonschema:"False when a label names a Flux object that no longer exists"`
	Ready      string `json:"ready,omitempty" jsonschema:"Status of the Ready condition: True, False or Unknown; empty when the object has none"`
	Reason     string `json:"reason,omitempty"`
	Message    string `json:"message,omitempty"`
	Suspended  bool   `json:"suspended,omitempty"`
	Revision   string `json:"revision,omitempty" jsonschema:"Revision the Flux object applied (or last attempted)"`
	// LastHandledReconcileAt is the last reconcile request the controller handled.
	LastHandledReconcileAt string  `json:"lastHandledReconcileAt,omitempty"`
	Source                 *Source `json:"source,omitempty" jsonschema:"The Flux object's source, when it has one"`
}

// Ref renders Kind/namespace/name.
func (l *Level) Ref() string {
	if l.Namespace == "" {
		return l.Kind + "/" + l.Name
	}
	return l.Kind + "/" + l.Namespace + "/" + l.Name
}

// Source is where a Flux object takes its artifact from.
type Source struct {
	Kind      string `json:"kind"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	Exists    bool   `json:"exists"`
	URL       string `json:"url,omitempty" jsonschema:"spec.url of the source"`
	Revision  string `json:"revision,omitempty" jsonschema:"Revision of the source's artifact"`
	Ready     string `json:"ready,omitempty"`
	Message   string `json:"message,omitempty"`
}

// Ref renders Kind/namespace/name.
func (s *Source) Ref() string { return s.Kind + "/" + s.Namespace + "/" + s.Name }

// Result is the chain from the object up to the top Flux object.
type Result struct {
	Levels []Level `json:"levels" jsonschema:"The traced object first, then each object that applied the one before"`
	// Managed says whether a Flux object applied the traced object.
	Managed bool   `json:"managed" jsonschema:"Whether a Flux object applied the traced object"`
	Message string `json:"message,omitempty" jsonschema:"Why the chain ends where it does, when that needs saying"`
}

// Complete resolves the clients, the default namespace and the kind against discovery.
func (o *Options) Complete(c *cluster.Cache) error {
	cl, err := c.ForNamespace(o.Context, &o.Namespace, false)
	if err != nil {
		return err
	}
	o.clients = cl
	if strings.TrimSpace(o.Kind) == "" {
		return errors.New("a kind is required, e.g. deployment, configmap, kustomization")
	}
	o.mapping, err = resolveKind(cl, o.Kind, o.APIVersion)
	return err
}

// Validate checks the inputs before any request.
func (o *Options) Validate() error {
	if strings.TrimSpace(o.Name) == "" {
		return fmt.Errorf("a name is required: the %s to trace", o.mapping.GroupVersionKind.Kind)
	}
	return nil
}

// Run reads the object, then each object up the chain: one GET per level.
func (o *Options) Run(ctx context.Context) (*Result, error) {
	obj, err := o.get(ctx, o.mapping, o.Namespace, o.Name)
	if apierrors.IsNotFound(err) {
		kind := o.mapping.GroupVersionKind.Kind
		if o.namespaced(o.mapping) {
			return nil, cluster.NotFound(ctx, o.clients.Dynamic.Resource(o.mapping.Resource).Namespace(o.Namespace), err, kind, o.Namespace, o.Name)
		}
		return nil, cluster.NotFound(ctx, o.clients.Dynamic.Resource(o.mapping.Resource), err, kind, "", o.Name)
	}
	if err != nil {
		return nil, cluster.Explain(err)
	}
	res := &Result{}
	first, err := o.level(ctx, obj, "")
	if err != nil {
		return nil, err
	}
	res.Levels = append(res.Levels, first)

	cur, err := o.climbOwners(ctx, obj, res)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{first.Ref(): true}
	for len(res.Levels) < maxLevels {
		owner, ok := fluxOwner(cur)
		if !ok {
			break
		}
		res.Managed = true
		lvl, next, err := o.ownerLevel(ctx, owner)
		if err != nil {
			return nil, err
		}
		if seen[lvl.Ref()] {
			res.Message = "the chain loops back to " + lvl.Ref()
			break
		}
		seen[lvl.Ref()] = true
		res.Levels = append(res.Levels, lvl)
		if next == nil {
			res.Message = fmt.Sprintf("%s is named by the label %s but does not exist", lvl.Ref(), owner.label)
			break
		}
		cur = next
	}
	if !res.Managed {
		res.Message = notManaged(first, len(res.Levels) > 1)
	}
	return res, nil
}

func notManaged(l Level, viaOwners bool) string {
	if _, err := fluxkinds.Lookup(l.Kind); err == nil && !viaOwners {
		return fmt.Sprintf("%s was not applied by another Flux object: it is the top of its chain", l.Ref())
	}
	who := "it carries"
	if viaOwners {
		who = "neither it nor its owners carry"
	}
	return fmt.Sprintf("%s is not managed by Flux: %s none of the labels Flux sets on what it applies (%s)", l.Ref(), who, strings.Join(ownerLabelNames(), ", "))
}

// climbOwners follows controller owner references (Pod -> ReplicaSet -> Deployment) up to the
// first object that names a Flux owner, adding a level for each. It returns the last object read.
func (o *Options) climbOwners(ctx context.Context, obj *unstructured.Unstructured, res *Result) (*unstructured.Unstructured, error) {
	cur := obj
	for len(res.Levels) < maxLevels {
		if _, ok := fluxOwner(cur); ok {
			return cur, nil
		}
		ref := ownerRef(cur)
		if ref == nil {
			return cur, nil
		}
		gv, err := schema.ParseGroupVersion(ref.APIVersion)
		if err != nil {
			return cur, nil
		}
		m, err := o.clients.Mapper.RESTMapping(schema.GroupKind{Group: gv.Group, Kind: ref.Kind}, gv.Version)
		if err != nil {
			return cur, nil
		}
		owner, err := o.get(ctx, m, cur.GetNamespace(), ref.Name)
		if apierrors.IsNotFound(err) {
			return cur, nil
		}
		if err != nil {
			return nil, cluster.Explain(err)
		}
		lvl, err := o.level(ctx, owner, "ownerReference")
		if err != nil {
			return nil, err
		}
		res.Levels = append(res.Levels, lvl)
		cur = owner
	}
	return cur, nil
}

// ownerRef is the controller owner, else the only owner.
func ownerRef(obj *unstructured.Unstructured) *metav1.OwnerReference {
	refs := obj.GetOwnerReferences()
	for i := range refs {
		if refs[i].Controller != nil && *refs[i].Controller {
			return &refs[i]
		}
	}
	if len(refs) == 1 {
		return &refs[0]
	}
	return nil
}

// ownerLevel reads the Flux object a label names. next is nil when it does not exist.
func (o *Options) ownerLevel(ctx context.Context, owner fluxRef) (Level, *unstructured.Unstructured, error) {
	lvl := Level{Kind: owner.kind.Kind, Namespace: owner.namespace, Name: owner.name, Via: "label " + owner.label}
	m, err := o.clients.ResolveKind(owner.kind)
	if err != nil {
		return lvl, nil, err
	}
	obj, err := o.get(ctx, m, owner.namespace, owner.name)
	if apierrors.IsNotFound(err) {
		return lvl, nil, nil
	}
	if err != nil {
		return lvl, nil, cluster.Explain(err)
	}
	lvl, err = o.level(ctx, obj, lvl.Via)
	return lvl, obj, err
}

// level describes an object; Flux objects add their revision and source.
func (o *Options) level(ctx context.Context, obj *unstructured.Unstructured, via string) (Level, error) {
	l := Level{Kind: obj.GetKind(), APIVersion: obj.GetAPIVersion(), Namespace: obj.GetNamespace(), Name: obj.GetName(), Via: via, Exists: true}
	if c, ok := fluxkinds.FindCondition(obj, "Ready"); ok {
		l.Ready, l.Reason, l.Message = c.Status, c.Reason, c.Message
	}
	k, err := fluxkinds.Lookup(obj.GetKind())
	if err != nil || obj.GroupVersionKind().Group != k.Group {
		return l, nil
	}
	l.Suspended = k.Suspended(obj)
	l.Revision = k.RevisionOf(obj)
	l.LastHandledReconcileAt, _, _ = unstructured.NestedString(obj.Object, "status", "lastHandledReconcileAt")
	if ref, ok := k.SourceOf(obj); ok {
		src, err := o.source(ctx, ref)
		if err != nil {
			return l, err
		}
		l.Source = src
	}
	return l, nil
}

// source reads a Flux object's source. A source kind the cluster does not serve is reported as
// missing rather than failing the trace.
func (o *Options) source(ctx context.Context, ref fluxkinds.SourceRef) (*Source, error) {
	s := &Source{Kind: ref.Kind, Namespace: ref.Namespace, Name: ref.Name}
	gk := schema.GroupKind{Group: fluxkinds.SourceGroup, Kind: ref.Kind}
	if k, err := fluxkinds.Lookup(ref.Kind); err == nil {
		gk.Group = k.Group
	}
	m, err := o.clients.Mapper.RESTMapping(gk)
	if err != nil {
		s.Message = "the kind " + gk.Kind + "." + gk.Group + " is not served by the cluster"
		return s, nil
	}
	obj, err := o.get(ctx, m, ref.Namespace, ref.Name)
	if apierrors.IsNotFound(err) {
		s.Message = "not found"
		return s, nil
	}
	if err != nil {
		return nil, cluster.Explain(err)
	}
	s.Exists = true
	s.URL, _, _ = unstructured.NestedString(obj.Object, "spec", "url")
	s.Revision, _, _ = unstructured.NestedString(obj.Object, "status", "artifact", "revision")
	if c, ok := fluxkinds.FindCondition(obj, "Ready"); ok {
		s.Ready, s.Message = c.Status, c.Message
	}
	return s, nil
}

func (o *Options) get(ctx context.Context, m *meta.RESTMapping, ns, name string) (*unstructured.Unstructured, error) {
	return o.clients.Resource(m, ns).Get(ctx, name, metav1.GetOptions{})
}

func (o *Options) namespaced(m *meta.RESTMapping) bool {
	return m.Scope.Name() == meta.RESTScopeNameNamespace
}
