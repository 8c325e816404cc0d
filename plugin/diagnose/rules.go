package diagnose

import (
	"context"
	"fmt"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/events"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/graph"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/logs"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/trace"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/tree"
)

const (
	// staleFactor: an object with no sign of a reconcile for this many intervals is stale.
	staleFactor = 3
	// eventWindow is how far back warning events count as recent.
	eventWindow = 6 * time.Hour
	// perRule caps repeated findings of one rule so that a typical answer stays short.
	perRule = 3
)

// negative lists condition types whose True status is bad news (abnormal-true polarity).
var negative = map[string]bool{"Stalled": true, "FetchFailed": true, "BuildFailed": true, "StorageOperationFailed": true,
	"IncludeUnavailable": true, "ArtifactOutdated": true, "Reconciling": true}

func readyEvidence(c fluxkinds.Condition) string {
	e := fmt.Sprintf("status.conditions[Ready]=%s reason %s", c.Status, c.Reason)
	if c.LastTransitionTime != "" {
		e += " since " + c.LastTransitionTime
	}
	return e
}

func stateOf(obj *unstructured.Unstructured) string {
	c, ok := fluxkinds.FindCondition(obj, "Ready")
	if !ok {
		return "has no Ready condition"
	}
	s := "is Ready=" + c.Status
	if c.Reason != "" {
		s += " " + c.Reason
	}
	if c.Message != "" {
		s += ": " + c.Message
	}
	return s
}

func failing(k fluxkinds.Kind, obj *unstructured.Unstructured) bool {
	c, ok := fluxkinds.FindCondition(obj, "Ready")
	return k.Suspended(obj) || !ok || c.Status != "True"
}

// selfRules: suspended, Ready and the other conditions, generation not observed, stale.
func (r *run) selfRules(f *findings, k fluxkinds.Kind, obj *unstructured.Unstructured) {
	id := graph.IDOf(obj)
	if k.Suspended(obj) {
		ev := "spec.suspend: true"
		if k.Suspend == fluxkinds.SuspendByAnnotation {
			ev = "annotation " + fluxkinds.OperatorReconcileAnnotation + ": disabled"
		}
		f.add(rankSuspended, Warning, "suspended", id, "suspended: Flux does not reconcile it until it is resumed", ev)
	}
	ready, ok := fluxkinds.FindCondition(obj, "Ready")
	switch {
	case !ok:
		f.add(rankReady, Warning, "no-ready-condition", id, "no Ready condition: its controller has not reconciled it yet (is the controller running?)", "status.conditions")
	case ready.Status != "True":
		sev := Error
		if ready.Status == "Unknown" {
			sev = Warning
		}
		f.add(rankReady, sev, "not-ready", id, fmt.Sprintf("Ready=%s %s: %s", ready.Status, ready.Reason, ready.Message), readyEvidence(ready))
	}
	for _, c := range fluxkinds.Conditions(obj) {
		switch {
		case c.Type == "Ready":
		case c.Type == "Stalled" && c.Status == "True":
			f.add(rankStalled, Error, "stalled", id, fmt.Sprintf("Stalled %s: %s (the controller will not retry until the object changes)", c.Reason, c.Message), "status.conditions[Stalled]")
		case c.Type == "Reconciling" && c.Status == "True":
			f.add(rankProgress, Info, "condition", id, fmt.Sprintf("Reconciling %s: %s", c.Reason, c.Message), "status.conditions[Reconciling] since "+c.LastTransitionTime)
		case negative[c.Type] && c.Status == "True", !negative[c.Type] && c.Status == "False":
			f.add(rankStalled, Warning, "condition", id, fmt.Sprintf("%s=%s %s: %s", c.Type, c.Status, c.Reason, c.Message), "status.conditions["+c.Type+"] since "+c.LastTransitionTime)
		}
	}
	if ok && ready.ObservedGeneration > 0 && ready.ObservedGeneration < obj.GetGeneration() {
		f.add(rankProgress, Info, "generation-not-observed", id, fmt.Sprintf("generation %d is not reconciled yet (Ready is for generation %d)", obj.GetGeneration(), ready.ObservedGeneration), "metadata.generation vs status.conditions[Ready].observedGeneration")
	}
}

// staleRule flags an object whose controller is not keeping up, by signals that hold only then
// (Flux moves Ready's lastTransitionTime only when Ready changes, so an old one says nothing):
//   - a reconcile was requested (reconcile.fluxcd.io/requestedAt) more than staleFactor intervals
//     ago and status.lastHandledReconcileAt is still not that request;
//   - metadata.generation is not observed by Ready more than staleFactor intervals after Ready last
//     changed;
//   - a Kustomization's or HelmRelease's source artifact changed more than staleFactor intervals
//     ago and its lastAttemptedRevision is still another revision.
func (r *run) staleRule(ctx context.Context, f *findings, k fluxkinds.Kind, obj *unstructured.Unstructured) {
	s, _, _ := unstructured.NestedString(obj.Object, "spec", "interval")
	interval, err := time.ParseDuration(s)
	if err != nil || interval <= 0 {
		return
	}
	id := graph.IDOf(obj)
	limit := staleFactor * interval
	stale := func(since time.Time, what, evidence string) {
		f.add(rankStale, Warning, "stale", id,
			fmt.Sprintf("%s %s ago, more than %d× its interval %s: is its controller running and keeping up?", what, time.Since(since).Round(time.Minute), staleFactor, s),
			evidence)
	}
	requested := obj.GetAnnotations()[reconcileAnnotation]
	handled, _, _ := unstructured.NestedString(obj.Object, "status", "lastHandledReconcileAt")
	if t, err := time.Parse(time.RFC3339, requested); err == nil && requested != handled && time.Since(t) > limit {
		stale(t, "a reconcile requested at "+requested+" is not handled yet,",
			fmt.Sprintf("metadata.annotations[%s]=%s, status.lastHandledReconcileAt=%q", reconcileAnnotation, requested, handled))
		return
	}
	if ready, ok := fluxkinds.FindCondition(obj, "Ready"); ok && ready.ObservedGeneration > 0 && ready.ObservedGeneration < obj.GetGeneration() {
		if t, err := time.Parse(time.RFC3339, ready.LastTransitionTime); err == nil && time.Since(t) > limit {
			stale(t, fmt.Sprintf("generation %d is not reconciled; Ready last changed", obj.GetGeneration()),
				fmt.Sprintf("metadata.generation=%d, status.conditions[Ready].observedGeneration=%d, lastTransitionTime=%s", obj.GetGeneration(), ready.ObservedGeneration, ready.LastTransitionTime))
			return
		}
	}
	if k.Kind != "Kustomization" && k.Kind != "HelmRelease" {
		return
	}
	attempted, _, _ := unstructured.NestedString(obj.Object, "status", "lastAttemptedRevision")
	src := r.directSource(ctx, k, obj)
	if attempted == "" || src == nil {
		return
	}
	rev, _, _ := unstructured.NestedString(src.Object, "status", "artifact", "revision")
	updated, _, _ := unstructured.NestedString(src.Object, "status", "artifact", "lastUpdateTime")
	t, err := time.Parse(time.RFC3339, updated)
	// A chart from an OCIRepository has revision VERSION@DIGEST where the release records VERSION.
	if rev == "" || err != nil || rev == attempted || strings.HasPrefix(rev, attempted+"@") || time.Since(t) <= limit {
		return
	}
	stale(t, "its source moved to revision "+rev+" and it has not tried it; the artifact changed",
		fmt.Sprintf("status.lastAttemptedRevision=%s, %s status.artifact.revision=%s, lastUpdateTime=%s", attempted, graph.IDOf(src), rev, updated))
}

// reconcileAnnotation is the annotation flux reconcile writes, with the time of the request.
const reconcileAnnotation = "reconcile.fluxcd.io/requestedAt"

// directSource is the object's own source (a HelmRelease's HelmChart first), when it can be read.
func (r *run) directSource(ctx context.Context, k fluxkinds.Kind, obj *unstructured.Unstructured) *unstructured.Unstructured {
	var refs []fluxkinds.SourceRef
	if k.Kind == "HelmRelease" {
		if s, _, _ := unstructured.NestedString(obj.Object, "status", "helmChart"); s != "" {
			if ns, name, ok := strings.Cut(s, "/"); ok {
				refs = append(refs, fluxkinds.SourceRef{Kind: "HelmChart", Namespace: ns, Name: name})
			}
		}
	}
	if ref, ok := k.SourceOf(obj); ok {
		refs = append(refs, ref)
	}
	for _, ref := range refs {
		if src, why := r.x.Get(ctx, ref.Kind, ref.Namespace, ref.Name); why == "" && src != nil {
			return src
		}
	}
	return nil
}

// sourceRules follows the source chain (a HelmChart or ImagePolicy has a source in turn) and
// returns the sources read, for their events.
func (r *run) sourceRules(ctx context.Context, f *findings, obj *unstructured.Unstructured, via string) []*unstructured.Unstructured {
	var out []*unstructured.Unstructured
	seen := map[string]bool{graph.IDOf(obj): true}
	cur := obj
	for depth := 0; depth < 4; depth++ {
		k, err := fluxkinds.Lookup(cur.GetKind())
		if err != nil {
			return out
		}
		refs := []fluxkinds.SourceRef{}
		if ref, ok := k.SourceOf(cur); ok {
			refs = append(refs, ref)
		}
		if k.Kind == "HelmRelease" {
			if s, _, _ := unstructured.NestedString(cur.Object, "status", "helmChart"); s != "" {
				if ns, name, ok := strings.Cut(s, "/"); ok {
					refs = append([]fluxkinds.SourceRef{{Kind: "HelmChart", Namespace: ns, Name: name}}, refs...)
				}
			}
		}
		var next *unstructured.Unstructured
		for _, ref := range refs {
			sid := ref.String()
			if seen[sid] {
				continue
			}
			seen[sid] = true
			src, why := r.x.Get(ctx, ref.Kind, ref.Namespace, ref.Name)
			field := "spec.sourceRef of " + graph.IDOf(cur)
			switch {
			case why != "":
				f.add(rankUnread, Info, "forbidden", sid, "could not read the source, so the source chain is not checked: "+why, field)
			case src == nil:
				f.add(rankSourceMissing, Error, "source-missing", sid, "the source does not exist"+via, field)
			default:
				out = append(out, src)
				r.sourceState(f, src, via)
				if next == nil {
					next = src
				}
			}
		}
		if next == nil {
			return out
		}
		cur = next
	}
	return out
}

func (r *run) sourceState(f *findings, src *unstructured.Unstructured, via string) {
	id := graph.IDOf(src)
	k, _ := fluxkinds.Lookup(src.GetKind())
	if k.Suspended(src) {
		f.add(rankSourceFailing, Warning, "source-suspended", id, "the source is suspended: its artifact does not update"+via, "spec.suspend: true")
	}
	c, ok := fluxkinds.FindCondition(src, "Ready")
	switch {
	case ok && c.Status != "True":
		f.add(rankSourceFailing, Error, "source-not-ready", id, fmt.Sprintf("the source is not ready%s: %s: %s", via, c.Reason, c.Message), readyEvidence(c))
	case !ok:
		f.add(rankSourceFailing, Warning, "source-not-ready", id, "the source has no Ready condition: source-controller has not reconciled it"+via, "status.conditions")
	}
	if k.Group == fluxkinds.SourceGroup {
		if _, has, _ := unstructured.NestedMap(src.Object, "status", "artifact"); !has {
			f.add(rankSourceFailing, Error, "source-no-artifact", id, "the source has no artifact: nothing can be applied from it"+via, "status.artifact is empty")
		} else if ok && c.Status == "True" && via == "" {
			f.add(rankUnread+1, Info, "source-ready", id, "the source is ready at revision "+k.RevisionOf(src), "status.artifact.revision")
		}
	}
}

// dependencyRules walks dependsOn recursively: a dependency that is missing, suspended or not Ready
// blocks, and so does whatever blocks it. path detects cycles; seen stops repeated walks.
func (r *run) dependencyRules(ctx context.Context, f *findings, obj *unstructured.Unstructured) []*unstructured.Unstructured {
	var out []*unstructured.Unstructured
	seen := map[string]bool{}
	var walk func(cur *unstructured.Unstructured, path []string)
	walk = func(cur *unstructured.Unstructured, path []string) {
		curID := graph.IDOf(cur)
		for _, d := range graph.DependsOn(cur) {
			field := fmt.Sprintf("spec.dependsOn[%d] of %s", d.Index, curID)
			for i, p := range path {
				if p == d.ID() {
					cycle := append(append([]string(nil), path[i:]...), d.ID())
					f.add(rankDependency, Error, "dependency-cycle", curID, "dependsOn cycle: "+strings.Join(cycle, " -> ")+": none of them can become ready", field)
				}
			}
			if seen[d.ID()] || d.ID() == curID {
				continue
			}
			seen[d.ID()] = true
			dep, why := r.x.Get(ctx, d.Kind, d.Namespace, d.Name)
			via := ""
			if len(path) > 1 {
				via = " (via " + curID + ")"
			}
			switch {
			case why != "":
				f.add(rankUnread, Info, "forbidden", d.ID(), "could not read the dependency: "+why, field)
				continue
			case dep == nil:
				f.add(rankDependency, Error, "dependency-missing", d.ID(), "the dependency does not exist"+via, field)
				continue
			}
			k, _ := fluxkinds.Lookup(dep.GetKind())
			if !failing(k, dep) {
				continue
			}
			out = append(out, dep)
			msg := "the dependency " + stateOf(dep) + via
			if k.Suspended(dep) {
				msg = "the dependency is suspended" + via + " and " + stateOf(dep)
			}
			ev := field
			if c, ok := fluxkinds.FindCondition(dep, "Ready"); ok {
				ev += "; " + readyEvidence(c)
			}
			f.add(rankDependency, Error, "dependency-not-ready", d.ID(), msg, ev)
			out = append(out, r.sourceRules(ctx, f, dep, " (blocks "+d.ID()+")")...)
			walk(dep, append(path, d.ID()))
		}
	}
	walk(obj, []string{graph.IDOf(obj)})
	return out
}

// inventoryRules reads the live tree of what the object applied and reports missing and failing
// objects; it returns those reported, for their events.
func (r *run) inventoryRules(ctx context.Context, f *findings, k fluxkinds.Kind, obj *unstructured.Unstructured) []eventTarget {
	switch k.Kind {
	case "Kustomization", "HelmRelease", "ResourceSet", "FluxInstance":
	default:
		return nil
	}
	id := graph.IDOf(obj)
	res, ok := r.trees[id]
	if !ok {
		var err error
		res, err = operation.Execute(ctx, r.o.cache, &tree.Options{Kind: k.Plural + "." + k.Group, Name: obj.GetName(), Namespace: obj.GetNamespace(), Context: r.o.Context})
		if err != nil {
			f.add(rankUnread, Info, "forbidden", id, "could not read its inventory: "+err.Error(), "status.inventory")
			return nil
		}
	}
	var out []eventTarget
	counts := map[string]int{}
	for i, n := range res.Nodes {
		if i == 0 {
			continue
		}
		parent := res.Nodes[n.Parent].Ref()
		var rule, sev, msg string
		rank := rankInventory
		switch {
		case n.Error != "":
			rule, sev, msg, rank = "forbidden", Info, "could not read applied object: "+n.Error, rankUnread
		case !n.Exists:
			rule, sev, msg = "inventory-missing", Error, "applied object is missing: it is in the inventory but not in the cluster"
		case n.Ready != "" && n.Ready != "True":
			rule, sev, msg = "inventory-not-ready", Warning, "applied object is not ready: "+n.Message
		default:
			continue
		}
		counts[rule]++
		if counts[rule] > perRule {
			continue
		}
		f.add(rank, sev, rule, n.Ref(), msg, "status.inventory of "+parent)
		if rule != "forbidden" {
			out = append(out, eventTarget{kind: n.Kind, namespace: n.Namespace, name: n.Name, id: n.Ref()})
		}
	}
	for rule, n := range counts {
		if n > perRule {
			f.add(rankInventory+1, Info, rule, id, fmt.Sprintf("%d more objects like the above", n-perRule), "status.inventory")
		}
	}
	return out
}

// ancestorRules reports a suspended object higher up the chain of what applied this one; it
// returns the suspended and failing ancestors, for their events.
func (r *run) ancestorRules(ctx context.Context, f *findings, obj *unstructured.Unstructured) []eventTarget {
	// The Flux objects that applied this one are named by its labels and read through the index
	// (one list per kind and namespace), not one GET per level.
	var out []eventTarget
	seen := map[string]bool{graph.IDOf(obj): true}
	cur := obj
	for range maxAncestors {
		kind, ns, name, label, ok := trace.FluxOwner(cur)
		if !ok {
			return out
		}
		id := graph.ID(kind, ns, name)
		if seen[id] {
			return out
		}
		seen[id] = true
		parent, why := r.x.Get(ctx, kind, ns, name)
		switch {
		case why != "":
			f.add(rankUnread, Info, "forbidden", id, "could not trace what applied it: "+why, "label "+label+" of "+graph.IDOf(cur))
			return out
		case parent == nil:
			f.add(rankSuspended, Warning, "ancestor-missing", id, "applied by an object that no longer exists: nothing updates this object's definition", "label "+label)
			return out
		}
		if k, err := fluxkinds.Lookup(kind); err == nil {
			if k.Suspended(parent) {
				f.add(rankSuspended, Warning, "ancestor-suspended", id,
					"applied by a suspended object: changes to "+graph.IDOf(obj)+"'s definition in the source are not applied", "spec.suspend of "+id+" (via label "+label+")")
			}
			if failing(k, parent) {
				out = append(out, eventTarget{kind: kind, namespace: ns, name: name})
			}
		}
		cur = parent
	}
	return out
}

// maxAncestors bounds the climb up the chain of Flux objects that applied one another.
const maxAncestors = 8

// eventTarget is an object whose Warning events are evidence; id names it in findings
// (Kind/namespace/name when empty).
type eventTarget struct{ kind, namespace, name, id string }

// maxEventTargets bounds the objects whose events are looked at, and so the namespaces listed.
const maxEventTargets = 16

// eventRules adds recent Warning events of the object and what was read on the way: its sources,
// failing dependencies, missing or failing applied objects and suspended or failing ancestors,
// in that order, from one list of Warning events per namespace. Cluster-scoped objects are left
// out: their events could be in any namespace.
func (r *run) eventRules(ctx context.Context, f *findings, targets []eventTarget) {
	count, looked := 0, 0
	done := map[string]bool{}
	for _, t := range targets {
		id := t.id
		if id == "" {
			id = graph.ID(t.kind, t.namespace, t.name)
		}
		if done[id] || t.namespace == "" || looked >= maxEventTargets || count >= perRule {
			continue
		}
		done[id] = true
		looked++
		list, err := r.eventsIn(ctx, t.namespace)
		if err != nil {
			if !done["events/"+t.namespace] {
				done["events/"+t.namespace] = true
				f.add(rankUnread, Info, "forbidden", "Event/"+t.namespace, "could not read events: "+err.Error(), "events in namespace "+t.namespace)
			}
			continue
		}
		want := t.kind + "/" + t.name
		for i := len(list) - 1; i >= 0 && count < perRule; i-- {
			e := list[i]
			if e.Object != want || e.Namespace != t.namespace {
				continue
			}
			count++
			f.add(rankEvent, Warning, "warning-event", id, fmt.Sprintf("%s: %s", e.Reason, e.Message),
				fmt.Sprintf("Warning event %s x%d, last seen %s", e.Reason, e.Count, e.LastSeen))
		}
	}
}

func (r *run) eventsIn(ctx context.Context, ns string) ([]events.Event, error) {
	r.mu.Lock()
	a, ok := r.events[ns]
	if !ok {
		a = &eventsAnswer{}
		r.events[ns] = a
	}
	r.mu.Unlock()
	a.once.Do(func() {
		res, err := operation.Execute(ctx, r.o.cache, &events.Options{Namespace: ns, Types: []string{"Warning"}, Since: eventWindow, Context: r.o.Context})
		if err != nil {
			a.err = err
			return
		}
		a.list = res.Events
	})
	return a.list, a.err
}

// logRules adds the controller's recent error lines about the object, or says logs were not reachable.
func (r *run) logRules(ctx context.Context, f *findings, obj *unstructured.Unstructured) {
	r.mu.Lock()
	if r.logs == nil {
		r.logs = &logsAnswer{}
	}
	a := r.logs
	r.mu.Unlock()
	a.once.Do(func() {
		res, err := operation.Execute(ctx, r.o.cache, &logs.Options{FluxNamespace: r.o.FluxNamespace, Level: "error", Tail: 500, Context: r.o.Context, Source: r.o.LogSource})
		if err != nil {
			a.err = err
			return
		}
		a.lines = res.Lines
	})
	id := graph.IDOf(obj)
	if a.err != nil {
		f.add(rankLog, Info, "logs-unavailable", id, "controller logs not read: "+a.err.Error(), "pods in namespace "+r.o.FluxNamespace)
		return
	}
	n := 0
	for i := len(a.lines) - 1; i >= 0 && n < perRule; i-- {
		l := a.lines[i]
		if l.Kind != obj.GetKind() || l.Name != obj.GetName() || l.Namespace != obj.GetNamespace() {
			continue
		}
		n++
		msg := l.Message
		if l.Error != "" {
			msg += ": " + l.Error
		}
		f.add(rankLog, Warning, "controller-log", id, msg, fmt.Sprintf("%s log %s %s", l.Controller, l.Pod, l.Time))
	}
}
