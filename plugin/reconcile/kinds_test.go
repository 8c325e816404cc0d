package reconcile_test

import (
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	tc "github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcontroller"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/reconcile"
)

// Every reconcilable kind that the other tests do not reconcile: each is annotated, the wait ends
// when the controller has handled the request, and the result carries the kind's own revision.
func TestReconcileEachKind(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "kinds")
	cases := []struct {
		kind, short, name string
		obj               fixtures.Object
		gvr               schema.GroupVersionResource
		revision          string // "" for a kind without one (Receiver)
	}{
		{"OCIRepository", "ocirepo", "oci", tc.OCIRepository(ns, "oci"), src("ocirepositories"), "v1.2.3@sha256:0c1"},
		{"Bucket", "bucket", "bucket", tc.Bucket(ns, "bucket"), src("buckets"), "sha256:b0c4e7"},
		{"Receiver", "rcv", "hook", tc.Receiver(ns, "hook", "fleet"), gvr("notification.toolkit.fluxcd.io", "v1", "receivers"), ""},
		{"ImageRepository", "imagerepo", "podinfo", tc.ImageRepository(ns, "podinfo"), img("imagerepositories"), "sha256:1ma9e"},
		{"ImagePolicy", "imagepolicy", "podinfo-policy", tc.ImagePolicy(ns, "podinfo-policy", "podinfo"), img("imagepolicies"), "6.7.1"},
		{"ImageUpdateAutomation", "iua", "bump", tc.ImageUpdateAutomation(ns, "bump", "fleet"), img("imageupdateautomations"), "5ca1ab1e"},
		{"FluxInstance", "fi", "flux", tc.FluxInstance(ns, "flux"), op("fluxinstances"), "v2.9.6@sha256:f1"},
		{"ResourceSetInputProvider", "rsip", "inputs", tc.ResourceSetInputProvider(ns, "inputs"), op("resourcesetinputproviders"), "sha256:1a2b"},
	}
	kinds := make([]string, len(cases))
	for i, tt := range cases {
		c.Create(t, tt.obj)
		kinds[i] = tt.kind
	}
	ctl := tc.Start(t, c.Config, ns, kinds...)
	for _, tt := range cases {
		t.Run(tt.kind, func(t *testing.T) {
			name := tt.name
			ctl.Set(tt.kind, name, tc.Behaviour{Delay: 100 * time.Millisecond, Revision: tt.revision})
			res, err := run(t, c, &reconcile.Options{Kind: tt.short, Selection: reconcile.Selection{Names: []string{name}}, Namespace: ns})
			if err != nil || res.Err() != nil {
				t.Fatal(err, res.Err())
			}
			it := res.Items[0]
			if it.Kind != tt.kind || it.Outcome != reconcile.Succeeded || it.Ready != "True" || !it.Changed || it.Revision != tt.revision {
				t.Fatalf("item = %+v, want %s Succeeded at revision %q", it, tt.kind, tt.revision)
			}
			obj := get(t, c, tt.gvr, ns, name)
			handled, _, _ := unstructured.NestedString(obj.Object, "status", "lastHandledReconcileAt")
			if obj.GetAnnotations()[reconcile.RequestedAtAnnotation] != it.RequestedAt || handled != it.RequestedAt {
				t.Fatalf("annotation %q, status.lastHandledReconcileAt %q, item.requestedAt %q",
					obj.GetAnnotations()[reconcile.RequestedAtAnnotation], handled, it.RequestedAt)
			}
			if ev, ok := ctl.Last(tt.kind, name); !ok || ev.RequestedAt != it.RequestedAt {
				t.Fatalf("the controller handled %+v, want request %s", ev, it.RequestedAt)
			}
		})
	}
}

func gvr(group, version, resource string) schema.GroupVersionResource {
	return schema.GroupVersionResource{Group: group, Version: version, Resource: resource}
}

func src(resource string) schema.GroupVersionResource {
	return gvr("source.toolkit.fluxcd.io", "v1", resource)
}

func img(resource string) schema.GroupVersionResource {
	return gvr("image.toolkit.fluxcd.io", "v1", resource)
}

func op(resource string) schema.GroupVersionResource {
	return gvr("fluxcd.controlplane.io", "v1", resource)
}
