package cluster_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/get"
)

// countingLister counts the lists NotFound makes: one, whatever the number of objects.
type countingLister struct {
	next  cluster.Lister
	calls int
}

func (l *countingLister) List(ctx context.Context, opts metav1.ListOptions) (*unstructured.UnstructuredList, error) {
	l.calls++
	return l.next.List(ctx, opts)
}

// A missing name is reported with the names that do exist: all of them when few, else the ten
// closest to the one asked for, nearest first; with one list of the kind.
func TestNotFoundNamesWhatExists(t *testing.T) {
	c := testcluster.Get(t)
	ctx := context.Background()
	ns := c.Namespace(t, "notfound")
	empty := c.Namespace(t, "notfound-empty")
	names := []string{"podinfo-values"}
	for i := range 12 {
		names = append(names, fmt.Sprintf("cm-%02d", i))
	}
	for _, n := range names {
		cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: n, Namespace: ns}}
		if _, err := c.Kube.CoreV1().ConfigMaps(ns).Create(ctx, cm, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	cms := schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}
	apiErr := apierrors.NewNotFound(cms.GroupResource(), "podinfo-valeus")

	l := &countingLister{next: c.Dynamic.Resource(cms).Namespace(ns)}
	err := cluster.NotFound(ctx, l, apiErr, "ConfigMap", ns, "podinfo-valeus")
	want := `ConfigMap "podinfo-valeus" not found in namespace "` + ns + `"; 13 ConfigMap objects there, the closest names: podinfo-values, cm-00, cm-01, cm-02, cm-03, cm-04, cm-05, cm-06, cm-07, cm-08`
	if err == nil || err.Error() != want || l.calls != 1 {
		t.Errorf("many: %d lists, err\n %v\nwant\n %s", l.calls, err, want)
	}
	if !apierrors.IsNotFound(err) {
		t.Errorf("the API server's not-found is lost: %#v", err)
	}

	err = cluster.NotFound(ctx, c.Dynamic.Resource(cms).Namespace(empty), apiErr, "ConfigMap", empty, "x")
	if want := `ConfigMap "x" not found in namespace "` + empty + `"; there is no ConfigMap in that namespace`; err == nil || err.Error() != want {
		t.Errorf("none: %v, want %s", err, want)
	}

	nsRes := schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}
	err = cluster.NotFound(ctx, c.Dynamic.Resource(nsRes), nil, "Namespace", "", ns+"x")
	if err == nil || !strings.HasPrefix(err.Error(), `Namespace "`+ns+`x" not found; `) || !strings.Contains(err.Error(), "Namespace objects in the cluster") ||
		!strings.Contains(err.Error(), " "+ns+",") {
		t.Errorf("cluster-scoped: %v", err)
	}

	// Through an operation: few objects are all named.
	if err := fixtures.CreateAll(ctx, c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	_, err = testcluster.Run(t, testcluster.Cache(c.Kubeconfig), &get.Options{Kind: "ks", Names: []string{"ap"}, Namespace: ns})
	if want := `Kustomization "ap" not found in namespace "` + ns + `"; Kustomization objects there: apps, infrastructure, monitoring`; err == nil || err.Error() != want {
		t.Errorf("get: %v, want %s", err, want)
	}
}

// A user who may read an object but not list its kind gets the plain not-found: the names are a
// hint, and a forbidden list must not turn into a second, confusing error.
func TestNotFoundWithoutListRight(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "notfound-nolist")
	kc := c.AddUser(t, "getter-"+ns)
	c.Grant(t, "getter-"+ns, ns, rbacv1.PolicyRule{APIGroups: []string{"kustomize.toolkit.fluxcd.io"}, Resources: []string{"kustomizations"}, Verbs: []string{"get"}})
	_, err := testcluster.Run(t, testcluster.Cache(kc), &get.Options{Kind: "ks", Names: []string{"ghost"}, Namespace: ns})
	if want := `Kustomization "ghost" not found in namespace "` + ns + `"`; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
}
