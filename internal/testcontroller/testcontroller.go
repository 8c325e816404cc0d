// Package testcontroller plays the Flux controllers in integration tests, where none run: it
// watches objects of the given kinds in one namespace and answers each new reconcile request as a
// controller would, through the status subresource: status.lastHandledReconcileAt, a Ready
// condition for the current generation, the revision, and the force and reset requests a
// HelmRelease received. Each object can be told to succeed after a delay, fail, or stall.
package testcontroller

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/tools/cache"
	watchtools "k8s.io/client-go/tools/watch"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
)

// Annotations a controller reads.
const (
	requestedAt = "reconcile.fluxcd.io/requestedAt"
	forceAt     = "reconcile.fluxcd.io/forceAt"
	resetAt     = "reconcile.fluxcd.io/resetAt"
)

// Behaviour is how the controller answers one object's requests.
type Behaviour struct {
	// Delay is how long a reconciliation takes.
	Delay time.Duration
	// Fail, when set, ends the reconciliation with Ready=False and this message.
	Fail string
	// Stall reports progress (Ready=Unknown Progressing: 'building') and never finishes.
	Stall bool
	// Revision is the revision to report; a default one when empty.
	Revision string
}

// Event is one handled request.
type Event struct {
	Kind, Namespace, Name string
	RequestedAt           string
	ForceAt, ResetAt      string
	// WrittenAt is when the status write that answered the request was sent.
	WrittenAt time.Time
	// Stalled says the answer was a progress report, not a result.
	Stalled bool
}

// Controller answers reconcile requests in one namespace.
type Controller struct {
	dyn dynamic.Interface
	ns  string

	mu         sync.Mutex
	behaviours map[string]Behaviour
	events     []Event
	// inflight holds the request value being handled per object, so that the watch events of
	// the controller's own writes do not start it again.
	inflight map[string]string
	wg       sync.WaitGroup
	cancel   context.CancelFunc
}

// Start watches the given Flux kinds in ns until the test ends. The watches start from a list
// taken before Start returns, so no request made afterwards is missed.
func Start(t testing.TB, cfg *rest.Config, ns string, kinds ...string) *Controller {
	t.Helper()
	c, err := Run(context.Background(), cfg, ns, kinds...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
	return c
}

// Run watches the given Flux kinds in ns until ctx ends or Stop is called; programs outside `go
// test` (the benchmark) start the controller with it. As with Start, no request made after Run
// returns is missed.
func Run(ctx context.Context, cfg *rest.Config, ns string, kinds ...string) (*Controller, error) {
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return nil, err
	}
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc))
	ctx, cancel := context.WithCancel(ctx)
	c := &Controller{dyn: dyn, ns: ns, behaviours: map[string]Behaviour{}, inflight: map[string]string{}, cancel: cancel}
	for _, name := range kinds {
		if err := c.watch(ctx, mapper, name); err != nil {
			c.Stop()
			return nil, err
		}
	}
	return c, nil
}

// Stop ends the watches and waits for the reconciliations in flight.
func (c *Controller) Stop() {
	c.cancel()
	c.wg.Wait()
}

// watch handles the requests on the objects of one kind, from a list taken before it returns.
func (c *Controller) watch(ctx context.Context, mapper apimeta.RESTMapper, name string) error {
	k, err := fluxkinds.Lookup(name)
	if err != nil {
		return err
	}
	m, err := mapper.RESTMapping(schema.GroupKind{Group: k.Group, Kind: k.Kind})
	if err != nil {
		return err
	}
	ri := c.dyn.Resource(m.Resource).Namespace(c.ns)
	list, err := ri.List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	for i := range list.Items {
		c.observe(ctx, k, m.Resource, &list.Items[i])
	}
	lw := &cache.ListWatch{
		ListWithContextFunc: func(ctx context.Context, o metav1.ListOptions) (runtime.Object, error) { return ri.List(ctx, o) },
		WatchFuncWithContext: func(ctx context.Context, o metav1.ListOptions) (watch.Interface, error) {
			return ri.Watch(ctx, o)
		},
	}
	w, err := watchtools.NewRetryWatcherWithContext(ctx, list.GetResourceVersion(), lw)
	if err != nil {
		return err
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		defer w.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-w.ResultChan():
				if !ok {
					return
				}
				if u, ok := ev.Object.(*unstructured.Unstructured); ok && (ev.Type == watch.Added || ev.Type == watch.Modified) {
					c.observe(ctx, k, m.Resource, u)
				}
			}
		}
	}()
	return nil
}

// Set tells the controller how to answer requests for one object.
func (c *Controller) Set(kind, name string, b Behaviour) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.behaviours[kind+"/"+name] = b
}

// Events returns the requests handled so far, in the order their status was written.
func (c *Controller) Events() []Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Event(nil), c.events...)
}

// Last returns the last handled request of one object.
func (c *Controller) Last(kind, name string) (Event, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := len(c.events) - 1; i >= 0; i-- {
		if e := c.events[i]; e.Kind == kind && e.Name == name {
			return e, true
		}
	}
	return Event{}, false
}

// observe starts a reconciliation when the object carries a request not yet handled. Suspended
// objects are left alone, as Flux controllers leave them.
func (c *Controller) observe(ctx context.Context, k fluxkinds.Kind, gvr schema.GroupVersionResource, obj *unstructured.Unstructured) {
	value := obj.GetAnnotations()[requestedAt]
	handled, _, _ := unstructured.NestedString(obj.Object, "status", "lastHandledReconcileAt")
	if value == "" || value == handled || k.Suspended(obj) {
		return
	}
	key := k.Kind + "/" + obj.GetName()
	c.mu.Lock()
	if c.inflight[key] == value {
		c.mu.Unlock()
		return
	}
	c.inflight[key] = value
	b := c.behaviours[key]
	c.mu.Unlock()
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		c.reconcile(ctx, k, gvr, obj.GetName(), value, b)
	}()
}

func (c *Controller) reconcile(ctx context.Context, k fluxkinds.Kind, gvr schema.GroupVersionResource, name, value string, b Behaviour) {
	if !b.Stall {
		select {
		case <-ctx.Done():
			return
		case <-time.After(b.Delay):
		}
	}
	ri := c.dyn.Resource(gvr).Namespace(c.ns)
	for attempt := 0; attempt < 10 && ctx.Err() == nil; attempt++ {
		obj, err := ri.Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return
		}
		ev := Event{Kind: k.Kind, Namespace: c.ns, Name: name, RequestedAt: value, Stalled: b.Stall,
			ForceAt: obj.GetAnnotations()[forceAt], ResetAt: obj.GetAnnotations()[resetAt]}
		if b.Revision == "" {
			// Like kustomize-controller, apply the revision of the source's artifact.
			b.Revision = c.sourceRevision(ctx, k, obj)
		}
		obj.Object["status"] = status(k, obj, value, b)
		// The event is recorded before the write: a test woken by the write must find it.
		ev.WrittenAt = time.Now()
		c.mu.Lock()
		c.events = append(c.events, ev)
		c.mu.Unlock()
		_, err = ri.UpdateStatus(ctx, obj, metav1.UpdateOptions{})
		if err != nil {
			c.forget(ev)
		}
		if !apierrors.IsConflict(err) {
			return
		}
	}
}

func (c *Controller) forget(ev Event) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := len(c.events) - 1; i >= 0; i-- {
		if c.events[i] == ev {
			c.events = append(c.events[:i], c.events[i+1:]...)
			return
		}
	}
}

// status is what the controller writes: the object's status with the request handled.
func status(k fluxkinds.Kind, obj *unstructured.Unstructured, value string, b Behaviour) map[string]any {
	st, _, _ := unstructured.NestedMap(obj.Object, "status")
	if st == nil {
		st = map[string]any{}
	}
	gen := obj.GetGeneration()
	now := time.Now().UTC().Format(time.RFC3339)
	cond := func(t, s, reason, msg string) map[string]any {
		return map[string]any{"type": t, "status": s, "reason": reason, "message": msg, "observedGeneration": gen, "lastTransitionTime": now}
	}
	if b.Stall {
		st["conditions"] = []any{cond("Reconciling", "True", "Progressing", "building"), cond("Ready", "Unknown", "Progressing", "building")}
		return st
	}
	rev := b.Revision
	if rev == "" {
		rev = fmt.Sprintf("main@sha1:%040x", time.Now().UnixNano())
	}
	st["lastHandledReconcileAt"] = value
	if k.Group != fluxkinds.OperatorGroup {
		// The Flux Operator records the generation in its conditions only.
		st["observedGeneration"] = gen
	}
	if v := obj.GetAnnotations()[forceAt]; v != "" && k.Kind == "HelmRelease" {
		st["lastHandledForceAt"] = v
	}
	if v := obj.GetAnnotations()[resetAt]; v != "" && k.Kind == "HelmRelease" {
		st["lastHandledResetAt"] = v
	}
	if k.Kind == "Kustomization" {
		// Recorded whether the apply succeeds or fails, as kustomize-controller does.
		st["lastAttemptedRevision"] = rev
	}
	if b.Fail != "" {
		st["conditions"] = []any{cond("Ready", "False", "ReconciliationFailed", b.Fail)}
		return st
	}
	msg := "Applied revision: " + rev
	if k.Group == fluxkinds.SourceGroup {
		msg = "stored artifact for revision '" + rev + "'"
		st["artifact"] = map[string]any{"revision": rev, "digest": "sha256:0c4f", "path": "x/artifact.tar.gz",
			"url": "http://source-controller./x/artifact.tar.gz", "lastUpdateTime": now}
	} else if len(k.Revision) > 0 {
		_ = unstructured.SetNestedField(map[string]any{"status": st}, rev, k.Revision[0]...)
	}

	st["conditions"] = []any{cond("Ready", "True", "ReconciliationSucceeded", msg)}
	return st
}

// sourceRevision is the artifact revision of the object's source, "" when it has none.
func (c *Controller) sourceRevision(ctx context.Context, k fluxkinds.Kind, obj *unstructured.Unstructured) string {
	ref, ok := k.SourceOf(obj)
	if !ok || k.Kind != "Kustomization" {
		return ""
	}
	sk, err := fluxkinds.Lookup(ref.Kind)
	if err != nil || sk.Group != fluxkinds.SourceGroup {
		return ""
	}
	gvr := schema.GroupVersionResource{Group: sk.Group, Version: "v1", Resource: sk.Plural}
	src, err := c.dyn.Resource(gvr).Namespace(ref.Namespace).Get(ctx, ref.Name, metav1.GetOptions{})
	if err != nil {
		return ""
	}
	rev, _, _ := unstructured.NestedString(src.Object, "status", "artifact", "revision")
	return rev
}
