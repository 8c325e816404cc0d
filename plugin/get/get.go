// Package get lists Flux objects with their readiness: the operation behind `kubectl flux-mcp get`
// and the MCP tool get_flux_resources.
package get

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
)

// AllKinds is the kind argument that asks for every installed Flux kind.
const AllKinds = "all"

// Options are the inputs of a get.
type Options struct {
	// Kind is a Flux kind in any of its names, or "all".
	Kind string
	// Names, when given, select objects by name (not with "all" nor across all namespaces).
	Names         []string
	Namespace     string
	AllNamespaces bool
	LabelSelector string
	// StatusSelector filters on conditions, e.g. "ready=false" or "ready=true,stalled=false".
	StatusSelector string
	// Context is the kubeconfig context; "" means the current one.
	Context string

	// Contexts and AllContexts query several kubeconfig contexts at once, each concurrently
	// under ContextTimeout; the result keeps each context's answer or error.
	Contexts       []string
	AllContexts    bool
	ContextTimeout time.Duration

	// Limit caps the items returned (0: all of them). A limited answer puts the objects that need
	// attention first (see Result.Summary) and says how many it left out, with a Continue token.
	Limit int
	// Continue is the token of a limited answer, for its next page.
	Continue string
	// ItemsOnly says that the caller reads the items and not the objects (Item.Object, Objects):
	// lists are then decoded into just the fields an item needs, several times cheaper.
	ItemsOnly bool

	cache      *cluster.Cache
	fleetNames []string
	clients    *cluster.Clients
	kinds      []fluxkinds.Kind
	statusWant []statusTerm
	after      *position
}

type statusTerm struct{ condType, status string }

// Complete resolves the inputs against the kubeconfig: clients of the context, default namespace, kinds.
func (o *Options) Complete(c *cluster.Cache) error {
	if o.fleet() {
		if err := o.completeKinds(); err != nil {
			return err
		}
		return o.completeFleet(c)
	}
	cl, err := c.ForNamespace(o.Context, &o.Namespace, o.AllNamespaces)
	if err != nil {
		return err
	}
	o.clients = cl
	return o.completeKinds()
}

// completeKinds resolves the kind argument to the kinds to list.
func (o *Options) completeKinds() error {
	if IsAll(o.Kind) {
		o.kinds = fluxkinds.All()
		return nil
	}
	if o.Kind == "" {
		return errors.New("a kind is required: one of all, " + strings.Join(fluxkinds.Names(), ", "))
	}
	k, err := fluxkinds.Lookup(o.Kind)
	if err != nil {
		return err
	}
	o.kinds = []fluxkinds.Kind{k}
	return nil
}

// Validate checks the inputs before any request.
func (o *Options) Validate() error {
	if len(o.Names) > 0 && len(o.kinds) != 1 {
		return errors.New("names cannot be given with kind \"all\": name a kind, e.g. kustomization")
	}
	if len(o.Names) > 0 && o.AllNamespaces {
		return errors.New("an object cannot be retrieved by name across all namespaces: give a namespace instead")
	}
	if o.LabelSelector != "" {
		if _, err := labels.Parse(o.LabelSelector); err != nil {
			return fmt.Errorf("invalid label selector %q: %w", o.LabelSelector, err)
		}
	}
	terms, err := parseStatusSelector(o.StatusSelector)
	if err != nil {
		return err
	}
	o.statusWant = terms
	if o.Limit < 0 {
		return fmt.Errorf("invalid limit %d: give a positive number, or 0 for no limit", o.Limit)
	}
	if o.Continue != "" {
		if o.after, err = o.decodeToken(o.Continue); err != nil {
			return err
		}
		if o.after.Query != o.queryID() {
			return errToken
		}
	}
	return nil
}

func parseStatusSelector(s string) ([]statusTerm, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []statusTerm
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" {
			return nil, fmt.Errorf("invalid status selector %q: want CONDITION=true|false|unknown, e.g. ready=false", s)
		}
		switch strings.ToLower(v) {
		case "true", "false", "unknown":
		default:
			return nil, fmt.Errorf("invalid status selector %q: the value of %s must be true, false or unknown", s, k)
		}
		out = append(out, statusTerm{condType: k, status: strings.ToLower(v)})
	}
	return out, nil
}

// Result is what a get found.
type Result struct {
	Items []Item `json:"items"`
	// NotInstalled lists the kinds skipped by "all" because their CRD is not installed.
	NotInstalled []string `json:"notInstalled,omitempty"`
	// Namespace is the namespace that was listed; empty for all namespaces.
	Namespace string `json:"namespace,omitempty"`
	// Contexts is set for a query over several contexts: each one's count or error.
	Contexts []ContextResult `json:"contexts,omitempty" jsonschema:"For a query over several contexts: how each context answered"`
	// Summary counts every object that matched, per kind, also those a limit left out.
	Summary []KindCount `json:"summary,omitempty" jsonschema:"Counts per kind of every matching object, including those left out"`
	Page
}

// Item is one Flux object with what matters of its state.
type Item struct {
	Context                string `json:"context,omitempty" jsonschema:"Kubeconfig context the object was read from, in a query over several contexts"`
	Kind                   string `json:"kind"`
	APIVersion             string `json:"apiVersion,omitempty"`
	Namespace              string `json:"namespace,omitempty"`
	Name                   string `json:"name"`
	Ready                  string `json:"ready,omitempty" jsonschema:"Status of the Ready condition: True, False or Unknown; empty when the kind has none"`
	Reason                 string `json:"reason,omitempty"`
	Message                string `json:"message,omitempty"`
	Suspended              bool   `json:"suspended"`
	Stalled                bool   `json:"stalled,omitempty" jsonschema:"The Stalled condition is True: the controller gave up until the object changes"`
	Revision               string `json:"revision,omitempty"`
	Source                 string `json:"source,omitempty" jsonschema:"The source as Kind/namespace/name"`
	LastHandledReconcileAt string `json:"lastHandledReconcileAt,omitempty"`
	CreationTimestamp      string `json:"creationTimestamp,omitempty"`

	object *unstructured.Unstructured
}

// Object is the object as read from the cluster.
func (i Item) Object() *unstructured.Unstructured { return i.object }

// Objects returns the objects of all items, in order.
func (r *Result) Objects() []*unstructured.Unstructured {
	out := make([]*unstructured.Unstructured, 0, len(r.Items))
	for _, it := range r.Items {
		out = append(out, it.object)
	}
	return out
}

// Run lists the objects, one list call per kind, all kinds at once.
func (o *Options) Run(ctx context.Context) (*Result, error) {
	var res *Result
	var err error
	if o.fleet() {
		res, err = o.runFleet(ctx)
	} else {
		res, err = o.runContext(ctx)
	}
	if err != nil {
		return nil, err
	}
	res.Summary = summarise(res.Items)
	if o.Limit > 0 {
		o.page(res)
	}
	return res, nil
}

// runContext lists the kinds in one context.
func (o *Options) runContext(ctx context.Context) (*Result, error) {
	type perKind struct {
		items        []Item
		notInstalled bool
		err          error
	}
	results := make([]perKind, len(o.kinds))
	var wg sync.WaitGroup
	for i, k := range o.kinds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			items, err := o.runKind(ctx, k)
			var ni *cluster.NotInstalledError
			if errors.As(err, &ni) && len(o.kinds) > 1 {
				results[i] = perKind{notInstalled: true}
				return
			}
			results[i] = perKind{items: items, err: err}
		}()
	}
	wg.Wait()
	res := &Result{Items: []Item{}, Namespace: o.Namespace}
	for i, r := range results {
		if r.err != nil {
			return nil, r.err
		}
		if r.notInstalled {
			res.NotInstalled = append(res.NotInstalled, o.kinds[i].Kind)
		}
		res.Items = append(res.Items, r.items...)
	}
	return res, nil
}

func (o *Options) runKind(ctx context.Context, k fluxkinds.Kind) ([]Item, error) {
	mapping, err := o.clients.ResolveKind(k)
	if err != nil {
		return nil, err
	}
	ri := o.clients.Resource(mapping, o.Namespace)
	var objs []unstructured.Unstructured
	if len(o.Names) > 0 {
		for _, n := range o.Names {
			obj, err := ri.Get(ctx, n, metav1.GetOptions{})
			if apierrors.IsNotFound(err) {
				return nil, cluster.NotFound(ctx, ri, err, k.Kind, o.Namespace, n)
			}
			if err != nil {
				return nil, cluster.Explain(err)
			}
			objs = append(objs, *obj)
		}
	} else {
		if o.ItemsOnly && o.clients.Kube != nil {
			objs, err = o.listLean(ctx, k, mapping)
		} else {
			var list *unstructured.UnstructuredList
			if list, err = ri.List(ctx, metav1.ListOptions{LabelSelector: o.LabelSelector}); err == nil {
				objs = list.Items
			}
		}
		if apierrors.IsNotFound(err) {
			// The CRD went away after discovery was read.
			o.clients.Mapper.Reset()
			return nil, &cluster.NotInstalledError{Kind: k}
		}
		if err != nil {
			return nil, cluster.Explain(err)
		}
	}
	items := make([]Item, 0, len(objs))
	for i := range objs {
		obj := &objs[i]
		if !o.matchesStatus(obj) {
			continue
		}
		items = append(items, NewItem(k, obj))
	}
	sort.Slice(items, func(a, b int) bool {
		if items[a].Namespace != items[b].Namespace {
			return items[a].Namespace < items[b].Namespace
		}
		return items[a].Name < items[b].Name
	})
	return items, nil
}

func (o *Options) matchesStatus(obj *unstructured.Unstructured) bool {
	for _, t := range o.statusWant {
		c, ok := fluxkinds.FindCondition(obj, t.condType)
		status := "unknown"
		if ok {
			status = strings.ToLower(c.Status)
		}
		if status != t.status {
			return false
		}
	}
	return true
}

// NewItem summarises a Flux object.
func NewItem(k fluxkinds.Kind, obj *unstructured.Unstructured) Item {
	it := Item{
		Kind:              k.Kind,
		APIVersion:        obj.GetAPIVersion(),
		Namespace:         obj.GetNamespace(),
		Name:              obj.GetName(),
		Suspended:         k.Suspended(obj),
		Revision:          k.RevisionOf(obj),
		CreationTimestamp: obj.GetCreationTimestamp().UTC().Format(time.RFC3339),
		object:            obj,
	}
	// One pass over the conditions; the first of a type counts, as in fluxkinds.FindCondition.
	var ready, stalled bool
	for _, c := range fluxkinds.Conditions(obj) {
		switch {
		case !ready && strings.EqualFold(c.Type, "Ready"):
			ready, it.Ready, it.Reason, it.Message = true, c.Status, c.Reason, c.Message
		case !stalled && strings.EqualFold(c.Type, "Stalled"):
			stalled, it.Stalled = true, strings.EqualFold(c.Status, "True")
		}
	}
	if ref, ok := k.SourceOf(obj); ok {
		it.Source = ref.String()
	}
	it.LastHandledReconcileAt, _, _ = unstructured.NestedString(obj.Object, "status", "lastHandledReconcileAt")
	return it
}

// IsAll says whether a kind argument means every Flux kind.
func IsAll(kind string) bool { return strings.EqualFold(kind, AllKinds) }
