// Package events lists the Kubernetes events of Flux objects, oldest first, as `flux events` does:
// the events of one object together with its source's, or of every Flux object in a namespace,
// and can follow new ones. It is the operation behind `kubectl flux-mcp events` and the MCP tool
// get_flux_events. Flux's controllers record core/v1 Events, so that is the API read here.
package events

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
)

// Options are the inputs of an events listing.
type Options struct {
	// Kind and Name select one Flux object (and its source); Kind alone, all objects of the kind;
	// neither, every Flux object.
	Kind, Name    string
	Namespace     string
	AllNamespaces bool
	// Types keeps only these event types (Normal, Warning); empty keeps all.
	Types []string
	// Since keeps only events seen within this duration; 0 keeps all.
	Since time.Duration
	// Grep keeps only events whose reason, object or message match this regular expression.
	Grep string
	// Limit keeps only the most recent events; 0 keeps all.
	Limit int
	// Context is the kubeconfig context; "" means the current one.
	Context string

	clients *cluster.Clients
	kind    *fluxkinds.Kind
	grep    *regexp.Regexp
	types   map[string]bool
}

// Event is one event, as the columns of `flux events` show it.
type Event struct {
	Namespace string `json:"namespace"`
	Type      string `json:"type"`
	Reason    string `json:"reason"`
	Object    string `json:"object" jsonschema:"The object the event is about, as Kind/name"`
	Message   string `json:"message"`
	// LastSeen is when the event last occurred (RFC 3339); FirstSeen when it first did.
	LastSeen  string `json:"lastSeen"`
	FirstSeen string `json:"firstSeen,omitempty"`
	Count     int32  `json:"count" jsonschema:"How many times the event occurred"`
	// Source is the controller that reported the event.
	Source string `json:"source,omitempty"`

	uid         types.UID
	last, first time.Time
}

// Result is the events found, oldest first.
type Result struct {
	Events []Event `json:"events" jsonschema:"Events, oldest first"`
	// Total is how many events matched; more than len(events) when the limit cut the oldest off.
	Total     int  `json:"total"`
	Truncated bool `json:"truncated" jsonschema:"True when the limit left older matching events out"`
	// Namespace is the namespace listed; empty for all namespaces.
	Namespace string `json:"namespace,omitempty"`
	// Objects names the objects whose events were read, for a single object and its source.
	Objects []string `json:"objects,omitempty" jsonschema:"The objects whose events were read (Kind/namespace/name): the object and its sources"`

	queries []query
	// versions are the resource versions of each query's list, where a watch continues.
	versions []string
}

// query is one list of events: a namespace ("" for all), narrowed to a kind and name.
type query struct {
	namespace, kind, name string
}

func (q query) selector() string {
	var sel []fields.Selector
	if q.kind != "" {
		sel = append(sel, fields.OneTermEqualSelector("involvedObject.kind", q.kind))
	}
	if q.name != "" {
		sel = append(sel, fields.OneTermEqualSelector("involvedObject.name", q.name))
	}
	return fields.AndSelectors(sel...).String()
}

// Complete resolves the clients, the default namespace and the kind.
func (o *Options) Complete(c *cluster.Cache) error {
	cl, err := c.ForNamespace(o.Context, &o.Namespace, o.AllNamespaces)
	if err != nil {
		return err
	}
	o.clients = cl
	if strings.TrimSpace(o.Kind) != "" {
		k, err := fluxkinds.Lookup(o.Kind)
		if err != nil {
			return err
		}
		o.kind = &k
	}
	return nil
}

// Validate checks the inputs before any request.
func (o *Options) Validate() error {
	if o.Name != "" && o.kind == nil {
		return errors.New("a name needs a kind: give KIND NAME, e.g. kustomization apps")
	}
	if o.Name != "" && o.AllNamespaces {
		return errors.New("an object cannot be named across all namespaces: give its namespace instead")
	}
	o.types = map[string]bool{}
	for _, t := range o.Types {
		switch strings.ToLower(strings.TrimSpace(t)) {
		case "normal":
			o.types[corev1.EventTypeNormal] = true
		case "warning":
			o.types[corev1.EventTypeWarning] = true
		case "":
		default:
			return fmt.Errorf("invalid event type %q: use Normal or Warning", t)
		}
	}
	if o.Grep != "" {
		re, err := regexp.Compile(o.Grep)
		if err != nil {
			return fmt.Errorf("invalid grep pattern %q: %w", o.Grep, err)
		}
		o.grep = re
	}
	if o.Since < 0 {
		return fmt.Errorf("invalid since %s: it must be positive", o.Since)
	}
	if o.Limit < 0 {
		return fmt.Errorf("invalid limit %d: it must be positive, or 0 for no limit", o.Limit)
	}
	return nil
}

// Run lists the events of every query at once, keeps those that pass the filters and sorts them.
func (o *Options) Run(ctx context.Context) (*Result, error) {
	res := &Result{Events: []Event{}, Namespace: o.Namespace}
	qs, err := o.queries(ctx, res)
	if err != nil {
		return nil, err
	}
	res.queries, res.versions = qs, make([]string, len(qs))
	lists := make([][]corev1.Event, len(qs))
	errs := make([]error, len(qs))
	var wg sync.WaitGroup
	for i, q := range qs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lists[i], res.versions[i], errs[i] = o.list(ctx, q)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, cluster.Explain(err)
		}
	}
	cutoff := time.Time{}
	if o.Since > 0 {
		cutoff = time.Now().Add(-o.Since)
	}
	seen := map[types.UID]bool{}
	for _, list := range lists {
		for i := range list {
			e := &list[i]
			if seen[e.UID] || !o.keep(e) {
				continue
			}
			seen[e.UID] = true
			ev := newEvent(e)
			if !cutoff.IsZero() && ev.last.Before(cutoff) {
				continue
			}
			res.Events = append(res.Events, ev)
		}
	}
	sort.SliceStable(res.Events, func(a, b int) bool { return res.Events[a].last.Before(res.Events[b].last) })
	res.Total = len(res.Events)
	if o.Limit > 0 && len(res.Events) > o.Limit {
		res.Events = res.Events[len(res.Events)-o.Limit:]
		res.Truncated = true
	}
	return res, nil
}

// queries decides which lists to make: the object and its sources, a kind, or a whole namespace.
func (o *Options) queries(ctx context.Context, res *Result) ([]query, error) {
	if o.kind == nil {
		return []query{{namespace: o.Namespace}}, nil
	}
	if o.Name == "" {
		return []query{{namespace: o.Namespace, kind: o.kind.Kind}}, nil
	}
	mapping, err := o.clients.ResolveKind(*o.kind)
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
	qs := []query{{namespace: o.Namespace, kind: o.kind.Kind, name: o.Name}}
	if src, ok := o.kind.SourceOf(obj); ok {
		qs = append(qs, query{namespace: src.Namespace, kind: src.Kind, name: src.Name})
		if o.kind.Kind == "HelmRelease" && src.Kind != "HelmChart" && src.Kind != "OCIRepository" {
			qs = append(qs, helmChartOf(obj, src))
		}
	}
	for _, q := range qs {
		res.Objects = append(res.Objects, q.kind+"/"+q.namespace+"/"+q.name)
	}
	return qs, nil
}

// helmChartOf is the HelmChart that source-controller builds for a HelmRelease's chart template:
// named in status.helmChart once reported, else NAMESPACE-NAME in the source's namespace.
func helmChartOf(hr *unstructured.Unstructured, src fluxkinds.SourceRef) query {
	if s, _, _ := unstructured.NestedString(hr.Object, "status", "helmChart"); s != "" {
		if ns, name, ok := strings.Cut(s, "/"); ok {
			return query{namespace: ns, kind: "HelmChart", name: name}
		}
	}
	return query{namespace: src.Namespace, kind: "HelmChart", name: hr.GetNamespace() + "-" + hr.GetName()}
}

// list reads one query's events page by page; it returns the resource version to watch from.
func (o *Options) list(ctx context.Context, q query) ([]corev1.Event, string, error) {
	opts := metav1.ListOptions{FieldSelector: q.selector(), Limit: 500}
	var out []corev1.Event
	for {
		list, err := o.clients.Kube.CoreV1().Events(q.namespace).List(ctx, opts)
		if err != nil {
			return nil, "", err
		}
		out = append(out, list.Items...)
		if list.Continue == "" {
			return out, list.ResourceVersion, nil
		}
		opts.Continue = list.Continue
	}
}

// keep applies the filters that do not depend on time.
func (o *Options) keep(e *corev1.Event) bool {
	if o.kind == nil && !isFlux(e.InvolvedObject) {
		return false
	}
	if len(o.types) > 0 && !o.types[e.Type] {
		return false
	}
	if o.grep != nil {
		obj := e.InvolvedObject.Kind + "/" + e.InvolvedObject.Name
		if !o.grep.MatchString(e.Reason) && !o.grep.MatchString(obj) && !o.grep.MatchString(e.Message) {
			return false
		}
	}
	return true
}

// isFlux says whether an event is about a Flux object: a Flux kind in its Flux API group.
func isFlux(ref corev1.ObjectReference) bool {
	k, err := fluxkinds.Lookup(ref.Kind)
	if err != nil || k.Kind != ref.Kind {
		return false
	}
	gv, err := schema.ParseGroupVersion(ref.APIVersion)
	return ref.APIVersion == "" || (err == nil && gv.Group == k.Group)
}

func newEvent(e *corev1.Event) Event {
	ev := Event{Namespace: e.Namespace, Type: e.Type, Reason: e.Reason, Message: strings.TrimSpace(e.Message),
		Object: e.InvolvedObject.Kind + "/" + e.InvolvedObject.Name, Count: e.Count, uid: e.UID}
	ev.Source = e.Source.Component
	if ev.Source == "" {
		ev.Source = e.ReportingController
	}
	ev.last, ev.first = lastSeen(e), firstSeen(e)
	if e.Series != nil {
		ev.Count = e.Series.Count
	}
	if ev.Count == 0 {
		ev.Count = 1
	}
	if !ev.last.IsZero() {
		ev.LastSeen = ev.last.UTC().Format(time.RFC3339)
	}
	if !ev.first.IsZero() {
		ev.FirstSeen = ev.first.UTC().Format(time.RFC3339)
	}
	return ev
}

// lastSeen is the time an event sorts by: its series' last observation, else its last timestamp,
// else its event time, else when it was created.
func lastSeen(e *corev1.Event) time.Time {
	switch {
	case e.Series != nil && !e.Series.LastObservedTime.IsZero():
		return e.Series.LastObservedTime.Time
	case !e.LastTimestamp.IsZero():
		return e.LastTimestamp.Time
	case !e.EventTime.IsZero():
		return e.EventTime.Time
	}
	return e.CreationTimestamp.Time
}

func firstSeen(e *corev1.Event) time.Time {
	switch {
	case !e.EventTime.IsZero():
		return e.EventTime.Time
	case !e.FirstTimestamp.IsZero():
		return e.FirstTimestamp.Time
	}
	return e.CreationTimestamp.Time
}
