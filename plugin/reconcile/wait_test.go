package reconcile

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	clienttesting "k8s.io/client-go/testing"
)

// The API server rarely expires a watch or closes it within a test's time, so these paths of the
// wait are driven by a fake client; the integration tests cover the rest against a real server.

var ksGVR = schema.GroupVersionResource{Group: "kustomize.toolkit.fluxcd.io", Version: "v1", Resource: "kustomizations"}

func ks(rv, handled, ready string) *unstructured.Unstructured {
	obj := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
		"metadata": map[string]any{"name": "apps", "namespace": "fs", "resourceVersion": rv, "generation": int64(2)},
		"status": map[string]any{"lastHandledReconcileAt": handled, "conditions": []any{
			map[string]any{"type": "Ready", "status": ready, "reason": "R", "message": "m", "observedGeneration": int64(2)},
		}},
	}}
	return obj
}

func fakeClient(t *testing.T, watchers ...func(rv string) watch.Interface) (*dynamicfake.FakeDynamicClient, *[]string) {
	t.Helper()
	c := dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(), map[schema.GroupVersionResource]string{ksGVR: "KustomizationList"})
	var rvs []string
	c.PrependWatchReactor("kustomizations", func(a clienttesting.Action) (bool, watch.Interface, error) {
		rv := a.(clienttesting.WatchActionImpl).WatchRestrictions.ResourceVersion
		rvs = append(rvs, rv)
		if len(rvs) > len(watchers) {
			t.Errorf("unexpected watch #%d from %s", len(rvs), rv)
			return true, watch.NewFake(), nil
		}
		return true, watchers[len(rvs)-1](rv), nil
	})
	return c, &rvs
}

func events(evs ...watch.Event) watch.Interface {
	w := watch.NewFakeWithChanSize(len(evs), false)
	for _, e := range evs {
		w.Action(e.Type, e.Object)
	}
	return w
}

func TestWaitRereadsWhenTheVersionExpired(t *testing.T) {
	const value = "2026-05-01T10:00:00.1Z"
	c, rvs := fakeClient(t,
		func(string) watch.Interface {
			gone := &metav1.Status{Status: metav1.StatusFailure, Code: http.StatusGone, Reason: metav1.StatusReasonExpired, Message: "too old resource version"}
			return events(watch.Event{Type: watch.Error, Object: gone})
		},
		func(string) watch.Interface {
			return events(watch.Event{Type: watch.Modified, Object: ks("9", value, "True")})
		})
	c.PrependReactor("get", "kustomizations", func(clienttesting.Action) (bool, runtime.Object, error) {
		return true, ks("7", "", "Unknown"), nil
	})
	got, err := Wait(context.Background(), c.Resource(ksGVR).Namespace("fs"), "Kustomization", ks("5", "", "True"), value, "", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if got.GetResourceVersion() != "9" || strings.Join(*rvs, ",") != "5,7" {
		t.Fatalf("got rv %s after watches from %v; want 9 after watching from 5, then from the re-read 7", got.GetResourceVersion(), *rvs)
	}
}

func TestWaitResumesAClosedWatchFromTheLastVersion(t *testing.T) {
	const value = "2026-05-01T10:00:00.2Z"
	c, rvs := fakeClient(t,
		func(string) watch.Interface {
			w := events(watch.Event{Type: watch.Modified, Object: ks("6", "", "Unknown")})
			w.Stop() // the server ends the watch
			return w
		},
		func(string) watch.Interface {
			return events(watch.Event{Type: watch.Modified, Object: ks("8", value, "False")})
		})
	got, err := Wait(context.Background(), c.Resource(ksGVR).Namespace("fs"), "Kustomization", ks("5", "", "True"), value, "", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if got.GetResourceVersion() != "8" || strings.Join(*rvs, ",") != "5,6" {
		t.Fatalf("got rv %s after watches from %v", got.GetResourceVersion(), *rvs)
	}
}

func TestHandledNeedsTheRequestTheGenerationAndAVerdict(t *testing.T) {
	const value = "v1"
	cases := []struct {
		obj  *unstructured.Unstructured
		want bool
	}{
		{ks("1", value, "True"), true},
		{ks("1", value, "False"), true},
		{ks("1", value, "Unknown"), false},
		{ks("1", "v0", "True"), false},
	}
	stale := ks("1", value, "True")
	stale.SetGeneration(3)
	cases = append(cases, struct {
		obj  *unstructured.Unstructured
		want bool
	}{stale, false})
	for i, tc := range cases {
		if got := Handled(tc.obj, value); got != tc.want {
			t.Errorf("case %d: Handled = %v, want %v", i, got, tc.want)
		}
	}
	if got := LastSeen(stale, value); got != "Ready=True R: 'm'; observed generation 2 of 3" {
		t.Errorf("LastSeen = %q", got)
	}
}

func TestSettledWaitsForTheSourceRevision(t *testing.T) {
	const value = "2026-11-26T00:00:00Z"
	obj := &unstructured.Unstructured{Object: map[string]any{
		"metadata": map[string]any{"generation": int64(2)},
		"status": map[string]any{"lastHandledReconcileAt": value, "lastAttemptedRevision": "main@sha1:old",
			"conditions": []any{map[string]any{"type": "Ready", "status": "True", "observedGeneration": int64(2)}}},
	}}
	if !Settled(obj, value, "") {
		t.Fatal("handled request without a revision to wait for should settle")
	}
	if Settled(obj, value, "main@sha1:new") {
		t.Fatal("handled at the old revision must not settle while the source has a new one")
	}
	_ = unstructured.SetNestedField(obj.Object, "main@sha1:new", "status", "lastAttemptedRevision")
	if Settled(obj, value, "main@sha1:new") {
		t.Fatal("Ready=True must wait for lastAppliedRevision to follow")
	}
	_ = unstructured.SetNestedField(obj.Object, "main@sha1:new", "status", "lastAppliedRevision")
	if !Settled(obj, value, "main@sha1:new") {
		t.Fatal("the new revision attempted and applied should settle")
	}
}
