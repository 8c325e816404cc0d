package mcp_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/util/retry"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	tc "github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcontroller"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/mcp"
)

// statusWriter plays a controller that keeps rewriting an object's Ready message with
// UpdateStatus: optimistic concurrency, each write carrying the resourceVersion it read, and a
// conflict retried on a fresh read, as a controller does.
type statusWriter struct {
	ri              dynamic.ResourceInterface
	name            string
	stop            chan struct{}
	done            chan error
	writes, clashes atomic.Int64
	last            atomic.Value
}

func startStatusWriter(ri dynamic.ResourceInterface, name string) *statusWriter {
	w := &statusWriter{ri: ri, name: name, stop: make(chan struct{}), done: make(chan error, 1)}
	// More patient than retry.DefaultRetry (5 tries): several writers keep changing the object.
	backoff := wait.Backoff{Steps: 200, Duration: 10 * time.Millisecond, Factor: 1, Jitter: 1}
	go func() {
		for n := 1; ; n++ {
			select {
			case <-w.stop:
				w.done <- nil
				return
			default:
			}
			msg := "Applied revision: main@sha1:" + strconv.Itoa(n)
			err := retry.RetryOnConflict(backoff, func() error {
				obj, err := ri.Get(context.Background(), name, metav1.GetOptions{})
				if err != nil {
					return err
				}
				cond := map[string]any{"type": "Ready", "status": "True", "reason": "ReconciliationSucceeded", "message": msg,
					"observedGeneration": obj.GetGeneration(), "lastTransitionTime": time.Now().UTC().Format(time.RFC3339)}
				_ = unstructured.SetNestedSlice(obj.Object, []any{cond}, "status", "conditions")
				_, err = ri.UpdateStatus(context.Background(), obj, metav1.UpdateOptions{})
				if apierrors.IsConflict(err) {
					w.clashes.Add(1)
				}
				return err
			})
			if err != nil {
				w.done <- err
				return
			}
			w.writes.Add(1)
			w.last.Store(msg)
		}
	}()
	return w
}

// end stops the writer and returns its error, if it gave up.
func (w *statusWriter) end() error {
	close(w.stop)
	return <-w.done
}

// Conflicting writes: suspend, resume, reconcile and patch calls run concurrently while a
// controller keeps rewriting the objects' status. The tools write merge and JSON patches without
// a resourceVersion, which the API server applies to the latest version (retrying its own
// conflicts inside), so no call may fail with a conflict, and no retry is needed in plugin/. The
// controller's writes conflict and are retried. Afterwards every last write shows: each patcher's
// last label, the controller's last status, the last reconcile request, and the final suspend.
// Two Kustomizations: a reconcile of a suspended object is refused by design, so reconcile works
// on "infra" while suspend and resume race on "apps".
func TestConcurrentWritesRaceAStatusWriter(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "conflict")
	c.Create(t, tc.Kustomization(ns, "apps", "fleet", false, nil))
	// Labelled, so that the JSON patch can add to metadata.labels.
	c.Create(t, tc.Kustomization(ns, "infra", "fleet", false, map[string]string{"team": "infra"}))
	gvr := schema.GroupVersionResource{Group: "kustomize.toolkit.fluxcd.io", Version: "v1", Resource: "kustomizations"}
	ri := c.Dynamic.Resource(gvr).Namespace(ns)
	writers := map[string]*statusWriter{"apps": startStatusWriter(ri, "apps"), "infra": startStatusWriter(ri, "infra")}

	url := httpServer(t, c, mcp.TransportHTTP, mcp.Options{MaskSecrets: true})
	args := func(name string, extra map[string]any) map[string]any {
		a := map[string]any{"kind": "kustomization", "name": name, "namespace": ns}
		for k, v := range extra {
			a[k] = v
		}
		return a
	}
	const rounds = 15
	workers := []struct {
		tool string
		args func(i int) map[string]any
	}{
		{"suspend_flux_resource", func(int) map[string]any { return args("apps", nil) }},
		{"resume_flux_resource", func(int) map[string]any { return args("apps", map[string]any{"wait": false}) }},
		{"reconcile_flux_resource", func(int) map[string]any { return args("infra", map[string]any{"wait": false}) }},
		{"patch_kubernetes_resource", func(i int) map[string]any {
			return args("apps", map[string]any{"patch": fmt.Sprintf(`{"metadata":{"labels":{"patcher-a":"%d"}}}`, i)})
		}},
		{"patch_kubernetes_resource", func(i int) map[string]any {
			return args("infra", map[string]any{"type": "json", "patch": fmt.Sprintf(`[{"op":"add","path":"/metadata/labels/patcher-b","value":"%d"}]`, i)})
		}},
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []string
	// The reconcile requests each tool returned, in order: reconcile's, and resume's (resuming
	// requests a reconciliation in the same patch).
	requested := map[string][]string{}
	for _, w := range workers {
		cl := httpClient(t, url+"/mcp")
		wg.Add(1)
		go func(cl *client.Client) {
			defer wg.Done()
			for i := 1; i <= rounds; i++ {
				res := call(t, cl, w.tool, w.args(i))
				mu.Lock()
				if res.IsError {
					failures = append(failures, fmt.Sprintf("%s round %d: %s", w.tool, i, text(res)))
				} else if w.tool == "reconcile_flux_resource" || w.tool == "resume_flux_resource" {
					if r := decode[toolResult](t, res); len(r.Items) == 1 && r.Items[0].RequestedAt != "" {
						requested[w.tool] = append(requested[w.tool], r.Items[0].RequestedAt)
					}
				}
				mu.Unlock()
			}
		}(cl)
	}
	wg.Wait()
	// The last write to "apps": suspend, with its status writer still running.
	if res := call(t, httpClient(t, url+"/mcp"), "suspend_flux_resource", args("apps", nil)); res.IsError {
		failures = append(failures, "final suspend: "+text(res))
	}
	for name, w := range writers {
		if err := w.end(); err != nil {
			t.Fatalf("status writer of %s gave up: %v", name, err)
		}
		t.Logf("%s: %d status writes, %d conflicts retried by the writer", name, w.writes.Load(), w.clashes.Load())
		if w.writes.Load() == 0 {
			t.Fatalf("the status writer of %s never wrote", name)
		}
	}
	for _, f := range failures {
		t.Error(f)
	}

	objs := map[string]*unstructured.Unstructured{}
	for name, w := range writers {
		obj, err := ri.Get(context.Background(), name, metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		objs[name] = obj
		conds, _, _ := unstructured.NestedSlice(obj.Object, "status", "conditions")
		if len(conds) != 1 || conds[0].(map[string]any)["message"] != w.last.Load() {
			t.Errorf("%s status conditions = %v, want the status writer's last message %q", name, conds, w.last.Load())
		}
	}
	if s, _, _ := unstructured.NestedBool(objs["apps"].Object, "spec", "suspend"); !s {
		t.Errorf("apps: spec.suspend = false after the final suspend")
	}
	want := strconv.Itoa(rounds)
	if l := objs["apps"].GetLabels(); l["patcher-a"] != want {
		t.Errorf("apps labels = %v, want patcher-a = %s (its last write)", l, want)
	}
	if l := objs["infra"].GetLabels(); l["patcher-b"] != want {
		t.Errorf("infra labels = %v, want patcher-b = %s (its last write)", l, want)
	}
	rec, res := requested["reconcile_flux_resource"], requested["resume_flux_resource"]
	if len(rec) != rounds || len(res) != rounds {
		t.Fatalf("reconcile results carried %d requests, resume results %d; want %d each", len(rec), len(res), rounds)
	}
	if got := objs["infra"].GetAnnotations()["reconcile.fluxcd.io/requestedAt"]; got != rec[rounds-1] {
		t.Errorf("infra requestedAt = %q, want the last reconcile's %q", got, rec[rounds-1])
	}
	if got := objs["apps"].GetAnnotations()["reconcile.fluxcd.io/requestedAt"]; got != res[rounds-1] {
		t.Errorf("apps requestedAt = %q, want the last resume's %q", got, res[rounds-1])
	}
}
