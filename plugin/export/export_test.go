package export_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/yaml"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/export"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
)

func TestMain(m *testing.M) { testcluster.Main(m) }

func run(t *testing.T, cache *cluster.Cache, o *export.Options) (*export.Result, error) {
	t.Helper()
	return testcluster.Run[*export.Result](t, cache, o)
}

// Decode reads a multi-document YAML stream into objects.
func decode(t *testing.T, text string) []*unstructured.Unstructured {
	t.Helper()
	var out []*unstructured.Unstructured
	dec := yaml.NewYAMLOrJSONDecoder(strings.NewReader(text), 4096)
	for {
		obj := &unstructured.Unstructured{}
		if err := dec.Decode(&obj.Object); err != nil {
			if errors.Is(err, io.EOF) {
				return out
			}
			t.Fatalf("decoding export: %v\n%s", err, text)
		}
		if len(obj.Object) > 0 {
			out = append(out, obj)
		}
	}
}

func TestExportAllAppliesToAFreshNamespace(t *testing.T) {
	c := testcluster.Get(t)
	src := c.Namespace(t, "export")
	ctx := context.Background()
	if err := fixtures.CreateAll(ctx, c.Dynamic, fixtures.Sample(src)); err != nil {
		t.Fatal(err)
	}
	// kubectl apply leaves its copy of the manifest; the export must not carry it.
	ks, err := c.Dynamic.Resource(ksGVR).Namespace(src).Get(ctx, "apps", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ks.SetAnnotations(map[string]string{export.LastAppliedAnnotation: `{"kind":"Kustomization"}`, "team": "platform"})
	if _, err := c.Dynamic.Resource(ksGVR).Namespace(src).Update(ctx, ks, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}

	res, err := run(t, testcluster.Cache(c.Kubeconfig), &export.Options{Kind: "all", All: true, Namespace: src})
	if err != nil {
		t.Fatal(err)
	}
	text, err := res.YAML()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(text, "---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n") || strings.Count(text, "---\n") != 10 {
		t.Errorf("want 10 documents, Kustomizations first:\n%s", text)
	}
	for _, gone := range []string{"status:", "managedFields", "uid:", "resourceVersion:", "generation:", "creationTimestamp:", export.LastAppliedAnnotation} {
		if strings.Contains(text, gone) {
			t.Errorf("export still holds %s:\n%s", gone, text)
		}
	}
	if !strings.Contains(text, "team: platform") || !strings.Contains(text, "path: ./apps/production") {
		t.Errorf("export lost the user's annotations or spec:\n%s", text)
	}

	dst := c.Namespace(t, "import")
	objs := decode(t, text)
	for _, obj := range objs {
		obj.SetNamespace(dst)
		k, err := fluxkinds.Lookup(obj.GetKind())
		if err != nil {
			t.Fatal(err)
		}
		gvr := obj.GroupVersionKind().GroupVersion().WithResource(k.Plural)
		if _, err := c.Dynamic.Resource(gvr).Namespace(dst).Create(ctx, obj, metav1.CreateOptions{}); err != nil {
			t.Errorf("creating exported %s/%s: %v", obj.GetKind(), obj.GetName(), err)
		}
	}
	again, err := run(t, testcluster.Cache(c.Kubeconfig), &export.Options{Kind: "all", All: true, Namespace: dst})
	if err != nil || len(again.Items) != len(objs) || len(objs) != 10 {
		t.Fatalf("re-export of the copy: %v, %d items from %d", err, len(again.Items), len(objs))
	}
}

func TestExportByName(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "export")
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	res, err := run(t, testcluster.Cache(c.Kubeconfig), &export.Options{Kind: "hr", Names: []string{"redis"}, Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	text, _ := res.YAML()
	want := "---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: redis\n  namespace: " + ns + "\nspec:\n"
	if len(res.Items) != 1 || !strings.HasPrefix(text, want) {
		t.Errorf("export =\n%s\nwant prefix\n%s", text, want)
	}
}

func TestExportRejectsBadInput(t *testing.T) {
	c := testcluster.Get(t)
	cache := testcluster.Cache(c.Kubeconfig)
	for want, o := range map[string]*export.Options{
		"name the objects to export, or export them all with --all": {Kind: "ks"},
		"give names or --all, not both":                             {Kind: "ks", Names: []string{"a"}, All: true},
		`unknown Flux kind "pods"`:                                  {Kind: "pods", All: true},
		`Kustomization "ghost" not found`:                           {Kind: "ks", Names: []string{"ghost"}, Namespace: "default"},
	} {
		if _, err := run(t, cache, o); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%+v: err = %v, want %q", o, err, want)
		}
	}
}

var ksGVR = schema.GroupVersionResource{Group: "kustomize.toolkit.fluxcd.io", Version: "v1", Resource: "kustomizations"}
