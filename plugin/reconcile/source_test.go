package reconcile

import (
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
)

func TestSourceForFollowsTheFluxCLI(t *testing.T) {
	hr, _ := fluxkinds.Lookup("HelmRelease")
	ks, _ := fluxkinds.Lookup("Kustomization")
	cases := []struct {
		kind fluxkinds.Kind
		doc  string
		want string
	}{
		{hr, `{metadata: {name: web, namespace: apps}, spec: {chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: repo}}}}}`, "HelmChart/apps/apps-web"},
		{hr, `{metadata: {name: web, namespace: apps}, spec: {chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: repo, namespace: flux-system}}}}}`, "HelmChart/flux-system/apps-web"},
		{hr, `{metadata: {name: web, namespace: apps}, spec: {chartRef: {kind: OCIRepository, name: podinfo}}}`, "OCIRepository/apps/podinfo"},
		{hr, `{metadata: {name: web, namespace: apps}, spec: {chartRef: {kind: HelmChart, name: shared, namespace: charts}}}`, "HelmChart/charts/shared"},
		{ks, `{metadata: {name: apps, namespace: fs}, spec: {sourceRef: {kind: OCIRepository, name: manifests}}}`, "OCIRepository/fs/manifests"},
		{ks, `{metadata: {name: apps, namespace: fs}, spec: {}}`, ""},
	}
	for _, tc := range cases {
		obj := &unstructured.Unstructured{}
		if err := yaml.Unmarshal([]byte(tc.doc), &obj.Object); err != nil {
			t.Fatal(err)
		}
		got := ""
		if ref, ok := SourceFor(tc.kind, obj); ok {
			got = ref.String()
		}
		if got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.doc, got, tc.want)
		}
	}
}
