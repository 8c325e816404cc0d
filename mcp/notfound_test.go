package mcp_test

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

// Every tool that reads a named object answers a mistyped name with isError and the names that do
// exist, so that a model can correct the call instead of guessing or listing first.
func TestStdioNotFoundNamesWhatExists(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "mcp-typo")
	ctx := context.Background()
	if err := fixtures.CreateAll(ctx, c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "podinfo-values", Namespace: ns}}
	if _, err := c.Kube.CoreV1().ConfigMaps(ns).Create(ctx, cm, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	cl := stdioClient(t, c, "serve")
	ks := `Kustomization "ap" not found in namespace "` + ns + `"; Kustomization objects there: apps, infrastructure, monitoring`
	typo := map[string]any{"kind": "ks", "name": "ap", "namespace": ns}
	cmTypo := map[string]any{"kind": "cm", "name": "podinfo-valeus", "namespace": ns}
	cmWant := `ConfigMap "podinfo-valeus" not found in namespace "` + ns + `"; ConfigMap objects there: podinfo-values`
	cases := []struct {
		tool string
		args map[string]any
		want string
	}{
		{"get_flux_resources", typo, ks},
		{"get_flux_events", typo, ks},
		{"trace_flux_resource", typo, ks},
		{"get_flux_tree", typo, ks},
		{"diagnose_flux_resource", typo, ks},
		{"export_flux_resources", typo, ks},
		{"reconcile_flux_resource", typo, ks},
		{"suspend_flux_resource", typo, ks},
		{"resume_flux_resource", typo, ks},
		{"get_kubernetes_resources", cmTypo, cmWant},
		{"trace_flux_resource", cmTypo, cmWant},
		{"patch_kubernetes_resource", map[string]any{"kind": "cm", "name": "podinfo-valeus", "namespace": ns, "patch": `{"data":{"a":"b"}}`}, cmWant},
		{"delete_kubernetes_resource", cmTypo, cmWant},
	}
	for _, tc := range cases {
		res := call(t, cl, tc.tool, tc.args)
		if !res.IsError || text(res) != tc.want {
			t.Errorf("%s %v: isError=%v text=%q, want %q", tc.tool, tc.args, res.IsError, text(res), tc.want)
		}
	}
}
