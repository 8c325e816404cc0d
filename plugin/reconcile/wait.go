package reconcile

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/dynamic"
	watchtools "k8s.io/client-go/tools/watch"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
)

// Handled says whether the controller has finished the reconcile requested at value: it recorded
// the request in status.lastHandledReconcileAt, its Ready condition describes the current
// generation, and Ready is True or False. kstatus is not used: it reads Ready=False without
// Stalled as still in progress, and would wait out the timeout on every failure.
func Handled(obj *unstructured.Unstructured, value string) bool {
	handled, _, _ := unstructured.NestedString(obj.Object, "status", "lastHandledReconcileAt")
	if handled != value {
		return false
	}
	ready, ok := fluxkinds.FindCondition(obj, "Ready")
	if !ok || (ready.Status != "True" && ready.Status != "False") {
		return false
	}
	return observedGeneration(obj, ready) == obj.GetGeneration()
}

// Settled is Handled, and when revision is set, the controller has also attempted that revision
// (status.lastAttemptedRevision). After --with-source the object's request can be handled before
// the controller has seen the source's new artifact: Ready would then describe the old revision.
func Settled(obj *unstructured.Unstructured, value, revision string) bool {
	if !Handled(obj, value) {
		return false
	}
	if revision == "" {
		return true
	}
	attempted, _, _ := unstructured.NestedString(obj.Object, "status", "lastAttemptedRevision")
	if attempted != revision {
		return false
	}
	// kustomize-controller can write Ready=True for the new revision a moment before
	// lastAppliedRevision follows (seen in the end-to-end suite): a success must show both.
	if ready, _ := fluxkinds.FindCondition(obj, "Ready"); ready.Status == "True" {
		applied, _, _ := unstructured.NestedString(obj.Object, "status", "lastAppliedRevision")
		return applied == revision
	}
	return true
}

// observedGeneration is the Ready condition's, else the status's.
func observedGeneration(obj *unstructured.Unstructured, ready fluxkinds.Condition) int64 {
	if ready.ObservedGeneration != 0 {
		return ready.ObservedGeneration
	}
	g, _, _ := unstructured.NestedInt64(obj.Object, "status", "observedGeneration")
	return g
}

// Wait watches obj from the resourceVersion it carries (the one the request's patch returned)
// until the reconcile requested at value is handled, and returns the object as the controller
// left it. The watch restarts where it stopped when the server closes it, and re-reads the object
// when its resourceVersion has expired. It gives up after timeout with a *TimeoutError that says
// what it last saw, and at once when ctx ends. A non-empty revision must also have been attempted
// (see Settled).
func Wait(ctx context.Context, ri dynamic.ResourceInterface, kind string, obj *unstructured.Unstructured, value, revision string, timeout time.Duration) (*unstructured.Unstructured, error) {
	if Settled(obj, value, revision) {
		return obj, nil
	}
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, errTimedOut)
	defer cancel()
	w := &waiter{ri: ri, kind: kind, last: obj, value: value, revision: revision}
	err := w.run(ctx)
	if err == nil {
		return w.last, nil
	}
	if ctx.Err() != nil {
		if errors.Is(context.Cause(ctx), errTimedOut) {
			return w.last, &TimeoutError{After: timeout, Ref: Ref(kind, obj.GetNamespace(), obj.GetName()), LastSeen: LastSeen(w.last, value)}
		}
		return w.last, fmt.Errorf("stopped waiting for %s: %w", Ref(kind, obj.GetNamespace(), obj.GetName()), context.Cause(ctx))
	}
	return w.last, err
}

var errTimedOut = errors.New("timed out")

type waiter struct {
	ri              dynamic.ResourceInterface
	kind            string
	last            *unstructured.Unstructured
	value, revision string
}

func (w *waiter) done(obj *unstructured.Unstructured) bool { return Settled(obj, w.value, w.revision) }

func (w *waiter) run(ctx context.Context) error {
	name := w.last.GetName()
	rv := w.last.GetResourceVersion()
	for {
		watcher, err := w.ri.Watch(ctx, metav1.ListOptions{
			FieldSelector:       fields.OneTermEqualSelector("metadata.name", name).String(),
			ResourceVersion:     rv,
			AllowWatchBookmarks: true,
		})
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if apierrors.IsResourceExpired(err) || apierrors.IsGone(err) {
				if rv, err = w.reread(ctx); err != nil || w.done(w.last) {
					return err
				}
				continue
			}
			return cluster.Explain(err)
		}
		_, err = watchtools.UntilWithoutRetry(ctx, watcher, func(ev watch.Event) (bool, error) {
			switch ev.Type {
			case watch.Added, watch.Modified:
				if u, ok := ev.Object.(*unstructured.Unstructured); ok {
					w.last, rv = u, u.GetResourceVersion()
					return w.done(u), nil
				}
			case watch.Bookmark:
				if m, err := metaAccessor(ev.Object); err == nil {
					rv = m
				}
			case watch.Deleted:
				return false, fmt.Errorf("%s was deleted while waiting for its reconciliation", Ref(w.kind, w.last.GetNamespace(), name))
			case watch.Error:
				return false, apierrors.FromObject(ev.Object)
			}
			return false, nil
		})
		switch {
		case err == nil:
			return nil
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, watchtools.ErrWatchClosed):
			// The server ends watches now and then; carry on from the last version seen.
		case apierrors.IsResourceExpired(err) || apierrors.IsGone(err):
			if rv, err = w.reread(ctx); err != nil || w.done(w.last) {
				return err
			}
		default:
			return cluster.Explain(err)
		}
	}
}

// reread gets the object afresh after its resourceVersion expired, and returns the version to
// watch from.
func (w *waiter) reread(ctx context.Context) (string, error) {
	obj, err := w.ri.Get(ctx, w.last.GetName(), metav1.GetOptions{})
	if err != nil {
		return "", cluster.Explain(err)
	}
	w.last = obj
	return obj.GetResourceVersion(), nil
}

func metaAccessor(o any) (string, error) {
	if u, ok := o.(*unstructured.Unstructured); ok {
		return u.GetResourceVersion(), nil
	}
	return "", errors.New("bookmark without an object")
}

// TimeoutError says that a reconcile was not handled in time, and what the object looked like.
type TimeoutError struct {
	After    time.Duration
	Ref      string
	LastSeen string
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("timed out after %s waiting for %s: last seen %s", e.After, e.Ref, e.LastSeen)
}

// LastSeen describes an object's state for a reader who waited in vain for a reconcile request.
func LastSeen(obj *unstructured.Unstructured, value string) string {
	var parts []string
	ready, ok := fluxkinds.FindCondition(obj, "Ready")
	if ok {
		s := "Ready=" + ready.Status
		if ready.Reason != "" {
			s += " " + ready.Reason
		}
		if ready.Message != "" {
			s += fmt.Sprintf(": '%s'", ready.Message)
		}
		parts = append(parts, s)
		if g := observedGeneration(obj, ready); g != obj.GetGeneration() {
			parts = append(parts, fmt.Sprintf("observed generation %d of %d", g, obj.GetGeneration()))
		}
	} else {
		parts = append(parts, "no Ready condition")
	}
	// Ready=Unknown shows a controller at work; anything else with the request unhandled suggests
	// that no controller is looking at the object.
	handled, _, _ := unstructured.NestedString(obj.Object, "status", "lastHandledReconcileAt")
	if handled != value && ready.Status != "Unknown" {
		parts = append(parts, "the request was not handled (is the controller running?)")
	}
	return strings.Join(parts, "; ")
}
