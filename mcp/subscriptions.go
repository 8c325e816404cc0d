package mcp

import (
	"context"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
)

// subscriptions turns watches of Flux objects into notifications/resources/updated for the sessions
// that subscribed to a resource, and notifications/resources/list_changed for the sessions that
// listed resources. There is one watch per (context, kind) however many sessions need it; it stops
// when the last of them unsubscribes or ends.
type subscriptions struct {
	srv     *server.MCPServer
	clients *cluster.Cache

	mu sync.Mutex
	// subs are the subscribed URIs of each session.
	subs map[string]map[string]resourceRef
	// listeners are the sessions that listed the resources of a context, by session.
	listeners map[string]string
	watches   map[watchKey]context.CancelFunc
}

type watchKey struct{ Context, Kind string }

func newSubscriptions(s *server.MCPServer, clients *cluster.Cache, hooks *server.Hooks) *subscriptions {
	h := &subscriptions{srv: s, clients: clients, subs: map[string]map[string]resourceRef{},
		listeners: map[string]string{}, watches: map[watchKey]context.CancelFunc{}}
	hooks.AddAfterSubscribe(func(ctx context.Context, _ any, req *mcp.SubscribeRequest, _ *mcp.EmptyResult) {
		h.subscribe(ctx, req.Params.URI)
	})
	hooks.AddAfterUnsubscribe(func(ctx context.Context, _ any, req *mcp.UnsubscribeRequest, _ *mcp.EmptyResult) {
		h.unsubscribe(ctx, req.Params.URI)
	})
	hooks.AddOnUnregisterSession(func(_ context.Context, session server.ClientSession) {
		h.mu.Lock()
		defer h.mu.Unlock()
		delete(h.subs, session.SessionID())
		delete(h.listeners, session.SessionID())
		h.reconcileLocked()
	})
	return h
}

func sessionID(ctx context.Context) string {
	if s := server.ClientSessionFromContext(ctx); s != nil {
		return s.SessionID()
	}
	return ""
}

func (h *subscriptions) subscribe(ctx context.Context, uri string) {
	ref, err := parseURI(uri)
	id := sessionID(ctx)
	if err != nil || id == "" {
		return // nothing could ever change under such a URI
	}
	h.mu.Lock()
	if h.subs[id] == nil {
		h.subs[id] = map[string]resourceRef{}
	}
	h.subs[id][uri] = ref
	started := h.reconcileLocked()
	h.mu.Unlock()
	waitStarted(started)
}

// waitStarted waits until new watches have read their starting resourceVersion, so that a change
// made right after resources/subscribe returns is seen; a slow cluster does not block for long.
func waitStarted(started []chan struct{}) {
	timeout := time.After(5 * time.Second)
	for _, ch := range started {
		select {
		case <-ch:
		case <-timeout:
			return
		}
	}
}

func (h *subscriptions) unsubscribe(ctx context.Context, uri string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.subs[sessionID(ctx)], uri)
	h.reconcileLocked()
}

// listen makes the session of ctx hear when the Flux objects of a context appear or disappear.
func (h *subscriptions) listen(ctx context.Context, contextName string) {
	id := sessionID(ctx)
	if id == "" {
		return
	}
	h.mu.Lock()
	h.listeners[id] = contextName
	started := h.reconcileLocked()
	h.mu.Unlock()
	waitStarted(started)
}

// reconcileLocked starts the watches that some session needs and stops the others; it returns
// channels closed when each new watch has started.
func (h *subscriptions) reconcileLocked() []chan struct{} {
	want := map[watchKey]bool{}
	allKinds := func(c string) {
		for _, k := range fluxkinds.All() {
			want[watchKey{c, k.Kind}] = true
		}
	}
	for _, refs := range h.subs {
		for _, r := range refs {
			if r.Summary {
				allKinds(r.Context)
			} else {
				want[watchKey{r.Context, r.Kind}] = true
			}
		}
	}
	for _, c := range h.listeners {
		allKinds(c)
	}
	for k, stop := range h.watches {
		if !want[k] {
			stop()
			delete(h.watches, k)
		}
	}
	var started []chan struct{}
	for k := range want {
		if _, ok := h.watches[k]; !ok {
			ctx, cancel := context.WithCancel(context.Background())
			h.watches[k] = cancel
			ch := make(chan struct{})
			started = append(started, ch)
			go h.watch(ctx, k, ch)
		}
	}
	return started
}

// Delays between attempts to (re)start a watch that failed: the API server was unreachable, the
// CRD was not installed yet, the re-list after an expired resourceVersion failed. The watch keeps
// trying while some session needs it, so subscribers hear of changes once the cause is gone.
const (
	watchRetryMin = 250 * time.Millisecond
	watchRetryMax = 30 * time.Second
)

// watch follows one kind in every namespace of a context from the resourceVersion of a list, until
// ctx ends (the last session that needed it left). A watch that cannot start (kind not installed,
// no rights, server unreachable) stays silent, the reads say why, and retries with backoff.
func (h *subscriptions) watch(ctx context.Context, key watchKey, started chan struct{}) {
	// started is closed after the first attempt, whether it worked or not: subscribe does not
	// wait for a watch that cannot start now.
	once := sync.OnceFunc(func() { close(started) })
	defer once()
	k, err := fluxkinds.Lookup(key.Kind)
	if err != nil {
		return // not a Flux kind: no object could ever change under it
	}
	delay := watchRetryMin
	rv := ""
	for attempt := 0; ctx.Err() == nil; attempt++ {
		began := time.Now()
		var followed bool
		rv, followed = h.watchOnce(ctx, key, k, rv, once, attempt > 0)
		once()
		if followed && time.Since(began) > time.Second {
			delay = watchRetryMin // it ran: the next failure is a new one
			continue
		}
		select {
		case <-ctx.Done():
		case <-time.After(delay):
		}
		delay = min(2*delay, watchRetryMax)
	}
}

// watchOnce (re)starts one watch, from rv or else from a fresh list, and follows it until it
// ends. It returns the resourceVersion to resume from ("" to re-list) and whether a watch ran;
// started is called once the watch is open. A restart from a list (catchUp) tells whoever follows
// the kind to read again: changes made while no watch ran were not seen one by one.
func (h *subscriptions) watchOnce(ctx context.Context, key watchKey, k fluxkinds.Kind, rv string, started func(), catchUp bool) (string, bool) {
	contextArg := key.Context
	if cl, err := h.clients.For(""); err == nil && cl.Context == key.Context {
		contextArg = ""
	}
	cl, err := h.clients.For(contextArg)
	if err != nil {
		return "", false
	}
	mapping, err := cl.ResolveKind(k)
	if err != nil {
		return "", false
	}
	ri := cl.Dynamic.Resource(mapping.Resource)
	relisted := false
	if rv == "" {
		// (Re)start from a list: at first, and when the server no longer has our version.
		list, err := ri.List(ctx, metav1.ListOptions{Limit: 1})
		if err != nil {
			return "", false
		}
		rv, relisted = list.GetResourceVersion(), true
	}
	w, err := ri.Watch(ctx, metav1.ListOptions{ResourceVersion: rv, AllowWatchBookmarks: true})
	if err != nil {
		// The version may be too old (410) or the server gone: re-list on the next attempt.
		return "", false
	}
	started()
	if relisted && catchUp {
		h.notifyKind(key)
	}
	return h.follow(ctx, key.Context, w, rv), true
}

// follow reads one watch until it ends and returns the resourceVersion to resume from ("" to
// re-list). The API server ends watches after a while; the loop above starts the next one.
func (h *subscriptions) follow(ctx context.Context, contextName string, w watch.Interface, rv string) string {
	defer w.Stop()
	for {
		select {
		case <-ctx.Done():
			return rv
		case ev, ok := <-w.ResultChan():
			if !ok {
				return rv
			}
			if ev.Type == watch.Error {
				return ""
			}
			if m, err := meta.Accessor(ev.Object); err == nil {
				rv = m.GetResourceVersion()
			}
			if ev.Type != watch.Bookmark {
				h.notify(contextName, ev.Type, ev.Object)
			}
		}
	}
}

// notify tells each interested session about one event.
func (h *subscriptions) notify(contextName string, typ watch.EventType, obj runtime.Object) {
	u, ok := obj.(*unstructured.Unstructured)
	if !ok || (typ != watch.Added && typ != watch.Modified && typ != watch.Deleted) {
		return
	}
	k, err := fluxkinds.Lookup(u.GetKind())
	if err != nil {
		return
	}
	uri := resourceRef{Context: contextName, Namespace: u.GetNamespace(), Kind: k.Kind, Name: u.GetName()}.URI()
	summary := resourceRef{Context: contextName, Summary: true}.URI()
	var updated []resourceNote
	var listChanged []string
	h.mu.Lock()
	for id, refs := range h.subs {
		for _, u := range []string{uri, summary} {
			if _, ok := refs[u]; ok {
				updated = append(updated, resourceNote{id, u})
			}
		}
	}
	if typ != watch.Modified {
		listChanged = h.listenersLocked(contextName)
	}
	h.mu.Unlock()
	h.send(updated, listChanged)
}

// notifyKind tells every session following a kind of a context that it may have changed: the
// subscribers of its objects and of the context's summary, and the sessions that listed resources.
func (h *subscriptions) notifyKind(key watchKey) {
	var updated []resourceNote
	h.mu.Lock()
	for id, refs := range h.subs {
		for uri, r := range refs {
			if r.Context == key.Context && (r.Summary || r.Kind == key.Kind) {
				updated = append(updated, resourceNote{id, uri})
			}
		}
	}
	listChanged := h.listenersLocked(key.Context)
	h.mu.Unlock()
	h.send(updated, listChanged)
}

// listenersLocked are the sessions that listed the resources of a context, to be told when the
// list changes. h.mu must be held.
func (h *subscriptions) listenersLocked(contextName string) []string {
	var ids []string
	for id, c := range h.listeners {
		if c == contextName {
			ids = append(ids, id)
		}
	}
	return ids
}

// resourceNote is one resources/updated notification due to a session.
type resourceNote struct{ session, uri string }

// send delivers the notifications gathered under the lock, after it is released: a slow client
// must not hold up the watches.
func (h *subscriptions) send(updated []resourceNote, listChanged []string) {
	for _, n := range updated {
		_ = h.srv.SendNotificationToSpecificClient(n.session, mcp.MethodNotificationResourceUpdated, map[string]any{"uri": n.uri})
	}
	for _, id := range listChanged {
		_ = h.srv.SendNotificationToSpecificClient(id, mcp.MethodNotificationResourcesListChanged, nil)
	}
}
