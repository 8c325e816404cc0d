package reconcile

import (
	"context"
	"fmt"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/progress"
)

// Run selects the objects, refuses suspended ones that were named, then reconciles each (its
// source first with WithSource), several at once, and reports every object's outcome. Failures of
// single objects are in the Result (see Result.Err); an error means nothing was attempted.
func (o *Options) Run(ctx context.Context) (*Result, error) {
	targets, err := Select(ctx, o.clients, o.kind, o.Namespace, o.Selection)
	if err != nil {
		return nil, err
	}
	if len(o.Names) > 0 {
		for _, t := range targets {
			if t.Kind.Suspended(t.Object) {
				return nil, &SuspendedError{Ref: t.Ref()}
			}
		}
	}
	r := &runner{o: o, rep: progress.Or(o.Reporter), sources: map[string]*sourceRun{}}
	res := &Result{Action: "reconcile", Namespace: o.Namespace}
	res.Items = ForEach(ctx, targets, func(ctx context.Context, t Target) Item { return r.object(ctx, t, nil) })
	res.Sources = r.handled
	res.Summarise()
	return res, nil
}

// SuspendedError refuses to reconcile a suspended object: its controller would ignore the request.
type SuspendedError struct{ Ref string }

func (e *SuspendedError) Error() string {
	return e.Ref + " is suspended: its controller ignores reconcile requests; resume it instead"
}

type runner struct {
	o   *Options
	rep progress.Reporter

	mu      sync.Mutex
	sources map[string]*sourceRun
	// handled are the sources in the order their reconciliation ended.
	handled []Item
}

type sourceRun struct {
	done chan struct{}
	item Item
}

// object reconciles one object, after its source when asked; path holds the sources being
// reconciled on the way here, to stop at a reference cycle instead of waiting on itself.
func (r *runner) object(ctx context.Context, t Target, path map[string]bool) Item {
	if t.Kind.Suspended(t.Object) {
		it := NewItem(t.Kind, t.Object)
		it.Outcome, it.Error = Skipped, t.Ref()+" is suspended"
		return it
	}
	var source, revision string
	if r.o.WithSource {
		if ref, ok := SourceFor(t.Kind, t.Object); ok {
			source = ref.String()
			src := r.source(ctx, ref, path)
			if src.Outcome == Failed || src.Outcome == Skipped {
				it := NewItem(t.Kind, t.Object)
				it.Source = source
				it.Fail(fmt.Errorf("%s was not reconciled: its source failed: %s", t.Ref(), src.Error))
				r.rep.Failure(it.Error)
				return it
			}
			// A Kustomization records the source revision it attempted: wait for the new one.
			if t.Kind.Kind == "Kustomization" && !r.o.NoWait {
				revision = src.Revision
			}
		}
	}
	isHR := t.Kind.Kind == "HelmRelease"
	value := Now()
	it := Request(ctx, r.rep, t, Patch{Annotations: RequestAnnotations(value, r.o.Force && isHR, r.o.Reset && isHR)},
		Await{Value: value, Revision: revision, NoWait: r.o.NoWait, Timeout: r.o.Timeout})
	it.Source = source
	return it
}

// source reconciles a source once, however many objects ask for it; the others wait for the first.
func (r *runner) source(ctx context.Context, ref fluxkinds.SourceRef, path map[string]bool) Item {
	key := ref.String()
	if path[key] {
		it := Item{Kind: ref.Kind, Namespace: ref.Namespace, Name: ref.Name}
		it.Fail(fmt.Errorf("source reference cycle at %s", key))
		return it
	}
	r.mu.Lock()
	if s, ok := r.sources[key]; ok {
		r.mu.Unlock()
		<-s.done
		return s.item
	}
	s := &sourceRun{done: make(chan struct{})}
	r.sources[key] = s
	r.mu.Unlock()

	next := map[string]bool{key: true}
	for k := range path {
		next[k] = true
	}
	s.item = r.reconcileSource(ctx, ref, next)
	r.mu.Lock()
	r.handled = append(r.handled, s.item)
	r.mu.Unlock()
	close(s.done)
	return s.item
}

func (r *runner) reconcileSource(ctx context.Context, ref fluxkinds.SourceRef, path map[string]bool) Item {
	it := Item{Kind: ref.Kind, Namespace: ref.Namespace, Name: ref.Name}
	k, err := fluxkinds.Lookup(ref.Kind)
	if err != nil || !k.Reconcilable {
		it.Fail(fmt.Errorf("source %s cannot be reconciled: %s is not a reconcilable Flux kind", key(ref), ref.Kind))
		return it
	}
	ri, err := Resource(r.o.clients, k, ref.Namespace)
	if err != nil {
		it.Fail(err)
		return it
	}
	obj, err := ri.Get(ctx, ref.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		it.Fail(fmt.Errorf("source %s not found", key(ref)))
		return it
	}
	if err != nil {
		it.Fail(cluster.Explain(err))
		return it
	}
	return r.object(ctx, Target{Kind: k, Object: obj, Client: ri}, path)
}

func key(ref fluxkinds.SourceRef) string { return Ref(ref.Kind, ref.Namespace, ref.Name) }

// Await says what Request waits for and how it reports.
type Await struct {
	// Value is the reconcile request the patch carries.
	Value string
	// Revision, when set, is the source revision the object must have attempted before it counts
	// as reconciled.
	Revision string
	NoWait   bool
	Timeout  time.Duration
	// Doing and Done describe the patch in progress lines; "annotating" and "annotated" if empty.
	Doing, Done string
}

// Request sends the patch, which carries the reconcile request a.Value, and unless a.NoWait waits
// for the controller to handle it, reporting each step. Resume uses it with spec.suspend in the
// same patch, so that resuming and requesting are one write.
func Request(ctx context.Context, rep progress.Reporter, t Target, p Patch, a Await) Item {
	if a.Doing == "" {
		a.Doing, a.Done = "annotating", "annotated"
	}
	ref := t.Ref()
	it := NewItem(t.Kind, t.Object)
	it.RequestedAt = a.Value
	start := time.Now()
	rep.Step(a.Doing + " " + ref)
	patched, err := Apply(ctx, t.Client, t.Object.GetName(), p)
	if err != nil {
		it.Fail(err)
		rep.Failure(ref + ": " + it.Error)
		return it
	}
	it = NewItem(t.Kind, patched)
	it.RequestedAt, it.Changed = a.Value, true
	rep.Success(ref + " " + a.Done)
	if a.NoWait {
		it.Outcome = Requested
		return it
	}
	rep.Waiting("waiting for " + ref + " reconciliation")
	final, err := Wait(ctx, t.Client, t.Kind.Kind, patched, a.Value, a.Revision, a.Timeout)
	if final != nil {
		it = NewItem(t.Kind, final)
		it.RequestedAt, it.Changed = a.Value, true
	}
	it.SetDuration(time.Since(start))
	switch {
	case err != nil:
		it.Fail(err)
		rep.Failure(it.Error)
	case it.Ready == "True":
		it.Outcome = Succeeded
		msg := ref + " reconciled"
		if it.Revision != "" {
			msg += " at revision " + it.Revision
		}
		rep.Success(msg)
	default:
		it.Fail(fmt.Errorf("%s reconciliation failed: %s: %s", ref, it.Reason, it.Message))
		rep.Failure(it.Error)
	}
	return it
}

// Concurrency bounds how many objects a bulk operation works on at once: enough to overlap the
// waits, few enough not to flood the API server and the controllers.
const Concurrency = 8

// ForEach runs fn for every target, Concurrency at a time, and returns the items in target order.
// Targets not started when ctx ends are reported as failed and left unchanged.
func ForEach(ctx context.Context, targets []Target, fn func(context.Context, Target) Item) []Item {
	items := make([]Item, len(targets))
	sem := make(chan struct{}, Concurrency)
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				items[i] = NewItem(t.Kind, t.Object)
				items[i].Fail(fmt.Errorf("%s was not started: %w", t.Ref(), context.Cause(ctx)))
				return
			}
			defer func() { <-sem }()
			items[i] = fn(ctx, t)
		}()
	}
	wg.Wait()
	return items
}
