// Package diagnose explains why a Flux object is not Ready: it walks from the object to what decides
// its state (conditions, source chain, dependsOn, inventory, events, controller logs, suspended
// ancestors, staleness) and reports findings by fixed rules, most likely cause first.
package diagnose

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/events"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/graph"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/logs"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/tree"
)

// Options names one object (Kind, Name) or asks for every object that is not Ready (All).
type Options struct {
	Kind, Name    string
	Namespace     string
	All           bool
	AllNamespaces bool
	// FluxNamespace is where the controllers run, for their logs.
	FluxNamespace string
	Context       string
	// LogSource reads the controller Pods and their logs; nil means the Pods of the cluster.
	// Tests set it, since a test API server has no kubelet to serve logs.
	LogSource logs.Source

	cache   *cluster.Cache
	clients *cluster.Clients
	kind    fluxkinds.Kind
}

// Severity of a finding.
const (
	Error   = "error"
	Warning = "warning"
	Info    = "info"
)

// Finding is one thing that explains, or limits, the diagnosis.
type Finding struct {
	Severity string `json:"severity" jsonschema:"error, warning or info"`
	Rule     string `json:"rule" jsonschema:"Identifier of the rule that produced the finding, e.g. source-not-ready"`
	Object   string `json:"object" jsonschema:"The object the finding is about, as Kind/namespace/name"`
	Message  string `json:"message"`
	Evidence string `json:"evidence,omitempty" jsonschema:"Where the finding was read: a field, condition, event or log line"`

	rank int
}

// Diagnosis is the findings about one object.
type Diagnosis struct {
	Object   string    `json:"object" jsonschema:"Kind/namespace/name"`
	Ready    string    `json:"ready,omitempty" jsonschema:"Status of its Ready condition"`
	Reason   string    `json:"reason,omitempty"`
	Message  string    `json:"message,omitempty"`
	Since    string    `json:"since,omitempty" jsonschema:"lastTransitionTime of the Ready condition"`
	Findings []Finding `json:"findings" jsonschema:"Most likely cause first"`
}

// Result is one diagnosis per object (one for KIND NAME; one per object not Ready for --all).
type Result struct {
	Diagnoses []Diagnosis `json:"diagnoses"`
	Checked   int         `json:"checked,omitempty" jsonschema:"With all: how many objects were looked at"`
	Unread    []string    `json:"unread,omitempty" jsonschema:"What could not be listed, and why"`
}

// Complete resolves the clients, namespace and kind.
func (o *Options) Complete(c *cluster.Cache) error {
	cl, err := c.ForNamespace(o.Context, &o.Namespace, o.AllNamespaces)
	if err != nil {
		return err
	}
	o.cache, o.clients = c, cl
	if o.FluxNamespace == "" {
		o.FluxNamespace = "flux-system"
	}
	if o.All {
		return nil
	}
	if strings.TrimSpace(o.Kind) == "" {
		return errors.New("a kind and a name are required, e.g. kustomization apps; or use --all for every object that is not Ready")
	}
	o.kind, err = fluxkinds.Lookup(o.Kind)
	return err
}

// Validate checks that the object is named, or --all is given, not both.
func (o *Options) Validate() error {
	if o.All && (o.Kind != "" || o.Name != "") {
		return errors.New("--all diagnoses every object that is not Ready: give either KIND NAME or --all, not both")
	}
	if o.AllNamespaces && !o.All {
		return errors.New("--all-namespaces needs --all: a named object lives in one namespace")
	}
	if !o.All && strings.TrimSpace(o.Name) == "" {
		return fmt.Errorf("a name is required: the %s to diagnose", o.kind.Kind)
	}
	return nil
}

// Run diagnoses the object, or every object that is not Ready.
func (o *Options) Run(ctx context.Context) (*Result, error) {
	x := graph.NewIndex(o.clients)
	r := &run{o: o, x: x, events: map[string]*eventsAnswer{}}
	res := &Result{Diagnoses: []Diagnosis{}}
	if !o.All {
		x.Load(ctx, o.Namespace, o.kind)
		obj, why := x.Get(ctx, o.kind.Kind, o.Namespace, o.Name)
		if why != "" {
			return nil, fmt.Errorf("cannot read %s %q in namespace %q: %s", o.kind.Kind, o.Name, o.Namespace, why)
		}
		if obj == nil {
			return nil, o.notFound(x)
		}
		res.Diagnoses = append(res.Diagnoses, r.diagnose(ctx, obj))
		res.Unread = x.Failures()
		return res, nil
	}
	var kinds []fluxkinds.Kind
	for _, k := range fluxkinds.All() {
		if k.Reconcilable {
			kinds = append(kinds, k)
		}
	}
	x.Load(ctx, o.Namespace, kinds...)
	var todo []*unstructured.Unstructured
	for _, k := range kinds {
		for _, obj := range x.Objects(k.Kind) {
			if o.Namespace != "" && obj.GetNamespace() != o.Namespace {
				continue
			}
			res.Checked++
			if c, ok := fluxkinds.FindCondition(obj, "Ready"); !ok || c.Status != "True" {
				todo = append(todo, obj)
			}
		}
	}
	// Nothing listed at all (unreachable, forbidden everywhere): that is the answer, not an empty
	// diagnosis with every kind unread.
	if f := x.Failures(); res.Checked == 0 && len(f) == len(kinds) && !strings.Contains(f[0], "is not installed") {
		_, why, _ := strings.Cut(f[0], ": ")
		return nil, fmt.Errorf("cannot list any Flux kind: %s", why)
	}
	r.trees = o.forest(ctx, todo)
	res.Diagnoses = make([]Diagnosis, len(todo))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i, obj := range todo {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			res.Diagnoses[i] = r.diagnose(ctx, obj)
		}()
	}
	wg.Wait()
	res.Unread = x.Failures()
	return res, nil
}

// forest builds the trees of the objects that have an inventory, all at once: one list per kind
// and namespace for every tree level, instead of a tree's requests per object. When that fails,
// each object gets its own tree, and its own error.
func (o *Options) forest(ctx context.Context, objs []*unstructured.Unstructured) map[string]*tree.Result {
	var roots []*unstructured.Unstructured
	for _, obj := range objs {
		switch obj.GetKind() {
		case "Kustomization", "HelmRelease", "ResourceSet", "FluxInstance":
			roots = append(roots, obj)
		}
	}
	if len(roots) == 0 {
		return nil
	}
	trees, err := tree.Forest(ctx, o.cache, o.Context, roots)
	if err != nil {
		return nil
	}
	out := make(map[string]*tree.Result, len(roots))
	for i, obj := range roots {
		out[graph.IDOf(obj)] = trees[i]
	}
	return out
}

// notFound names what is there: the index listed the kind in the namespace (else Get said why).
func (o *Options) notFound(x *graph.Index) error {
	e := &cluster.NotFoundError{Kind: o.kind.Kind, Namespace: o.Namespace, Names: []string{o.Name}, Listed: true}
	for _, obj := range x.Objects(o.kind.Kind) {
		if obj.GetNamespace() == o.Namespace {
			e.Existing = append(e.Existing, obj.GetName())
		}
	}
	return e
}

// run holds what one Run shares between the objects it diagnoses: the index, and events and
// controller logs read once.
type run struct {
	o *Options
	x *graph.Index

	// trees are the live trees of the objects with an inventory, built together before the
	// objects are diagnosed (--all); an object without one here gets its own tree.
	trees map[string]*tree.Result

	mu     sync.Mutex
	events map[string]*eventsAnswer
	logs   *logsAnswer
}

type eventsAnswer struct {
	once sync.Once
	list []events.Event
	err  error
}

type logsAnswer struct {
	once  sync.Once
	lines []logs.Line
	err   error
}

func (r *run) diagnose(ctx context.Context, obj *unstructured.Unstructured) Diagnosis {
	d := Diagnosis{Object: graph.IDOf(obj), Findings: []Finding{}}
	if c, ok := fluxkinds.FindCondition(obj, "Ready"); ok {
		d.Ready, d.Reason, d.Message, d.Since = c.Status, c.Reason, c.Message, c.LastTransitionTime
	}
	f := &findings{}
	k, _ := fluxkinds.Lookup(obj.GetKind())
	involved := []*unstructured.Unstructured{obj}
	r.selfRules(f, k, obj)
	if !k.Suspended(obj) {
		r.staleRule(ctx, f, k, obj)
	}
	involved = append(involved, r.sourceRules(ctx, f, obj, "")...)
	involved = append(involved, r.dependencyRules(ctx, f, obj)...)
	targets := make([]eventTarget, 0, len(involved))
	for _, o := range involved {
		targets = append(targets, eventTarget{kind: o.GetKind(), namespace: o.GetNamespace(), name: o.GetName()})
	}
	targets = append(targets, r.inventoryRules(ctx, f, k, obj)...)
	targets = append(targets, r.ancestorRules(ctx, f, obj)...)
	r.eventRules(ctx, f, targets)
	r.logRules(ctx, f, obj)
	d.Findings = f.sorted()
	return d
}

// findings collects findings; rank orders them, most likely cause first.
type findings struct{ list []Finding }

func (f *findings) add(rank int, severity, rule, object, message, evidence string) {
	// The same unreadable object met on two paths is one finding.
	for _, g := range f.list {
		if g.Rule == rule && g.Object == object && rule == "forbidden" {
			return
		}
	}
	f.list = append(f.list, Finding{Severity: severity, Rule: rule, Object: object, Message: message, Evidence: evidence, rank: rank})
}

func (f *findings) sorted() []Finding {
	sort.SliceStable(f.list, func(i, j int) bool { return f.list[i].rank < f.list[j].rank })
	if f.list == nil {
		return []Finding{}
	}
	return f.list
}

// Ranks: causes that decide the state before symptoms, context after. The object's own Ready
// condition is the symptom: what applied objects, Stalled or another failing condition say is
// more specific, so it comes first; progress (Reconciling, a generation not yet observed) after.
const (
	rankSuspended = iota * 10
	rankSourceMissing
	rankSourceFailing
	rankDependency
	rankInventory
	rankStalled
	rankReady
	rankProgress
	rankStale
	rankEvent
	rankLog
	rankUnread
)
