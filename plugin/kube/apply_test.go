package kube_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/kube"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

func apply(t *testing.T, c *testcluster.Cluster, o *kube.ApplyOptions) (*kube.ApplyResult, error) {
	t.Helper()
	return operation.Execute(context.Background(), testcluster.Cache(c.Kubeconfig), o)
}

func cmExists(t *testing.T, c *testcluster.Cluster, ns, name string) *corev1.ConfigMap {
	t.Helper()
	cm, err := c.Kube.CoreV1().ConfigMaps(ns).Get(context.Background(), name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return cm
}

func TestApplyMultiDocumentDryRunAndActions(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "apply")
	newNS := ns + "-new"
	manifest := fmt.Sprintf(`
apiVersion: v1
kind: Namespace
metadata: {name: %[2]s}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: one}
data: {a: "1"}
---
---
apiVersion: v1
kind: ConfigMap
metadata: {name: two, namespace: %[2]s}
data: {b: "2"}
`, ns, newNS)
	res, err := apply(t, c, &kube.ApplyOptions{Manifest: manifest, Namespace: "", DryRun: true})
	// The first ConfigMap lands in the context's namespace (default).
	if err != nil || len(res.Items) != 3 || !res.DryRun || res.Items[1].Namespace != "default" || res.Items[2].Action != "created" {
		t.Fatalf("dry run: %v %+v", err, res)
	}
	if cmExists(t, c, "default", "one") != nil {
		t.Fatal("dry run created an object")
	}
	if !strings.Contains(res.Text(), "default/configmap/one created (server dry run)") {
		t.Errorf("text:\n%s", res.Text())
	}

	manifest = strings.Replace(manifest, "metadata: {name: one}", "metadata: {name: one, namespace: "+newNS+"}", 1)
	res, err = apply(t, c, &kube.ApplyOptions{Manifest: manifest})
	if err != nil || res.Items[0].Action != "created" || res.Items[2].Action != "created" {
		t.Fatalf("apply: %v %+v", err, res)
	}
	cm := cmExists(t, c, newNS, "two")
	if cm == nil || cm.Data["b"] != "2" || cm.ManagedFields[0].Manager != kube.FieldManager || cm.ManagedFields[0].Operation != metav1.ManagedFieldsOperationApply {
		t.Fatalf("applied object: %+v", cm)
	}
	res, err = apply(t, c, &kube.ApplyOptions{Manifest: strings.Replace(manifest, `b: "2"`, `b: "3"`, 1)})
	if err != nil || res.Items[0].Action != "unchanged" || res.Items[1].Action != "unchanged" || res.Items[2].Action != "configured" {
		t.Fatalf("re-apply: %v %+v", err, res)
	}
	_, err = apply(t, c, &kube.ApplyOptions{Manifest: manifest, Namespace: "other"})
	if err == nil || !strings.Contains(err.Error(), `namespace "`+newNS+`" does not match the namespace "other" given`) {
		t.Errorf("namespace mismatch: %v", err)
	}
}

func TestApplyBadDocumentAppliesNothing(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "applybad")
	good := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: good}\ndata: {a: b}\n"
	cases := map[string]string{
		// Rejected by the API server's validation: caught by the dry run of every document.
		"document 2 (" + ns + "/configmap/bad)":                           "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad}\ndata: {a: {nested: x}}\n",
		"document 2 (Widget/w): the server doesn't serve kind \"Widget\"": "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n",
		"document 2 has no apiVersion or kind":                            "metadata: {name: x}\n",
		"document 2 (ConfigMap) has no metadata.name":                     "apiVersion: v1\nkind: ConfigMap\n",
		"repeats document 1":                                              good,
		"document 2 is not valid YAML":                                    "a: [b\n",
		"document 2 (" + ns + "/configmap/Bad_Name)":                      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_Name}\n",
	}
	for want, bad := range cases {
		_, err := apply(t, c, &kube.ApplyOptions{Manifest: good + "---\n" + bad, Namespace: ns})
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "nothing was applied") && !strings.Contains(err.Error(), "not valid YAML") {
			t.Errorf("err %v, want %q", err, want)
		}
		if cmExists(t, c, ns, "good") != nil {
			t.Fatalf("%s: the good document was applied", want)
		}
	}
}

func TestApplyRefusesFluxManaged(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "applyflux")
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "owned", Namespace: ns,
		Labels: map[string]string{kube.KustomizeNameLabel: "apps", kube.KustomizeNamespaceLabel: "flux-system"}}, Data: map[string]string{"a": "1"}}
	if _, err := c.Kube.CoreV1().ConfigMaps(ns).Create(context.Background(), cm, metav1.CreateOptions{FieldManager: "kustomize-controller"}); err != nil {
		t.Fatal(err)
	}
	manifest := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fresh}\ndata: {a: '1'}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: owned}\ndata: {a: '2'}\n"
	_, err := apply(t, c, &kube.ApplyOptions{Manifest: manifest, Namespace: ns})
	want := "nothing was applied: managed by Flux, which would revert the change at its next reconciliation: " + ns + "/configmap/owned by Kustomization flux-system/apps"
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "set overwrite") {
		t.Fatalf("err %v, want %q", err, want)
	}
	if cmExists(t, c, ns, "fresh") != nil {
		t.Fatal("a document was applied before the refusal")
	}
	res, err := apply(t, c, &kube.ApplyOptions{Manifest: manifest, Namespace: ns, Overwrite: true})
	if err != nil || res.Items[1].Action != "configured" || cmExists(t, c, ns, "owned").Data["a"] != "2" {
		t.Fatalf("overwrite: %v %+v", err, res)
	}
}
