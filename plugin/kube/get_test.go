package kube_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/kube"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

func TestMain(m *testing.M) { testcluster.Main(m) }

func configMaps(t *testing.T, c *testcluster.Cluster, ns string, n int) {
	t.Helper()
	for i := range n {
		cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("cm-%d", i), Namespace: ns, Labels: map[string]string{"app": "demo", "idx": fmt.Sprint(i)}},
			Data: map[string]string{"k": fmt.Sprintf("v%d", i)}}
		if _, err := c.Kube.CoreV1().ConfigMaps(ns).Create(context.Background(), cm, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestGetKindForms(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "kinds")
	configMaps(t, c, ns, 1)
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	cc := testcluster.Cache(c.Kubeconfig)
	for kind, want := range map[string]string{"cm": "ConfigMap", "configmaps": "ConfigMap", "ConfigMap": "ConfigMap", "configmaps.v1.": "ConfigMap",
		"ks": "Kustomization", "kustomizations.kustomize.toolkit.fluxcd.io": "Kustomization", "deploy": "Deployment",
		"deployments.apps": "Deployment", "Deployment.v1.apps": "Deployment", "ns": "Namespace", "hr": "HelmRelease"} {
		res, err := operation.Execute(context.Background(), cc, &kube.GetOptions{Kind: kind, Namespace: ns})
		if err != nil || res.Kind != want {
			t.Errorf("kind %q: %v, got %+v", kind, err, res)
		}
	}
	res, err := operation.Execute(context.Background(), cc, &kube.GetOptions{Kind: "ks", Namespace: ns, Fields: []string{".metadata.name", `{.status.conditions[?(@.type=="Ready")].reason}`}})
	if err != nil || len(res.Items) != 3 || res.Items[0].Values[0] != "apps" || res.Items[0].Values[1] != "BuildFailed" {
		t.Fatalf("ks fields: %v %+v", err, res)
	}
	errs := map[string]*kube.GetOptions{
		`the server doesn't have a resource type "widgets"`:                                    {Kind: "widgets"},
		`ConfigMap "ghost" not found in namespace "` + ns + `"; ConfigMap objects there: cm-0`: {Kind: "cm", Name: "ghost", Namespace: ns},
		`invalid JSONPath ".metadata[name"`:                                                    {Kind: "cm", Fields: []string{".metadata[name"}},
		`invalid label selector`:                                                               {Kind: "cm", LabelSelector: "a in (b"},
		`invalid field selector`:                                                               {Kind: "cm", FieldSelector: "metadata.name"},
		`cannot be retrieved by name across all namespaces`:                                    {Kind: "cm", Name: "x", AllNamespaces: true},
		`context "nowhere" not found in kubeconfig`:                                            {Kind: "cm", Context: "nowhere"},
		`"spec.nothing" is not a known field selector`:                                         {Kind: "cm", Namespace: ns, FieldSelector: "spec.nothing=x"},
		`invalid limit -1`:                                                                     {Kind: "cm", Limit: -1},
		`name cannot be combined with label_selector, field_selector or continue`:              {Kind: "cm", Name: "a", LabelSelector: "a=b"},
	}
	for want, o := range errs {
		_, err := operation.Execute(context.Background(), cc, o)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%+v: err %v, want %q", o, err, want)
		}
	}
}

func TestGetFieldsSelectorsAndPaging(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "paging")
	configMaps(t, c, ns, 5)
	cc := testcluster.Cache(c.Kubeconfig)
	ctx := context.Background()

	res, err := operation.Execute(ctx, cc, &kube.GetOptions{Kind: "cm", Namespace: ns, LabelSelector: "app=demo", Limit: 2,
		Fields: []string{".metadata.name", "{.data.k}", ".metadata.labels", ".missing"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 2 || !res.Truncated || res.Continue == "" || !strings.Contains(res.Notice, "truncated: showing 2 objects (limit 2); more match") {
		t.Fatalf("first page = %+v", res)
	}
	v := res.Items[0].Values
	if v[0] != "cm-0" || v[1] != "v0" || v[2].(map[string]any)["idx"] != "0" || v[3] != nil || res.Items[0].Object != nil {
		t.Errorf("values = %#v", v)
	}
	txt := res.Text(time.Now())
	if !strings.Contains(txt, "configmap/cm-0") || !strings.Contains(txt, `{"app":"demo","idx":"0"}`) || !strings.Contains(txt, "continue=") {
		t.Errorf("text:\n%s", txt)
	}
	seen := len(res.Items)
	for res.Continue != "" {
		res, err = operation.Execute(ctx, cc, &kube.GetOptions{Kind: "cm", Namespace: ns, LabelSelector: "app=demo", Limit: 2, Continue: res.Continue})
		if err != nil {
			t.Fatal(err)
		}
		seen += len(res.Items)
	}
	if seen != 5 || res.Truncated {
		t.Errorf("paging saw %d objects, want 5", seen)
	}

	res, err = operation.Execute(ctx, cc, &kube.GetOptions{Kind: "configmap", AllNamespaces: true, FieldSelector: "metadata.name=cm-3,metadata.namespace=" + ns})
	if err != nil || len(res.Items) != 1 || res.Items[0].Namespace != ns || res.Items[0].Object["data"].(map[string]any)["k"] != "v3" {
		t.Fatalf("field selector across namespaces: %v %+v", err, res)
	}
	if _, ok := res.Items[0].Object["metadata"].(map[string]any)["managedFields"]; ok {
		t.Errorf("objects must not carry managedFields")
	}
	if txt := res.Text(time.Now()); !strings.HasPrefix(txt, "NAMESPACE") || !strings.Contains(txt, ns+"    configmap/cm-3") {
		t.Errorf("all-namespaces text:\n%s", txt)
	}
	// Cluster-scoped by name; the namespace argument is ignored as kubectl does.
	res, err = operation.Execute(ctx, cc, &kube.GetOptions{Kind: "namespace", Name: ns, Namespace: "elsewhere"})
	if err != nil || len(res.Items) != 1 || res.Items[0].Name != ns || res.Namespace != "" {
		t.Fatalf("namespace by name: %v %+v", err, res)
	}
	res, err = operation.Execute(ctx, cc, &kube.GetOptions{Kind: "cm", Namespace: ns, LabelSelector: "app=none"})
	if err != nil || len(res.Items) != 0 || res.Text(time.Now()) != "No ConfigMap found in "+ns+" namespace.\n" {
		t.Errorf("empty: %v %q", err, res.Text(time.Now()))
	}
}

func TestGetDefaultLimit(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "limit")
	configMaps(t, c, ns, 101)
	res, err := operation.Execute(context.Background(), testcluster.Cache(c.Kubeconfig), &kube.GetOptions{Kind: "cm", Namespace: ns, Fields: []string{".metadata.name"}})
	if err != nil || len(res.Items) != kube.DefaultLimit || !res.Truncated || res.Remaining == nil || *res.Remaining < 1 {
		t.Fatalf("default limit: %v items=%d truncated=%v", err, len(res.Items), res.Truncated)
	}
}
