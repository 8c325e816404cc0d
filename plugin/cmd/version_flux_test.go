package cmd_test

import (
	"context"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

// labelVersion sets (or, with "", removes) the app.kubernetes.io/version label that Flux's install
// manifests put on its namespace and CRDs.
func labelVersion(t *testing.T, c *testcluster.Cluster, gvr schema.GroupVersionResource, name, version string) {
	t.Helper()
	value := `null`
	if version != "" {
		value = `"` + version + `"`
	}
	patch := []byte(`{"metadata":{"labels":{"app.kubernetes.io/version":` + value + `}}}`)
	if _, err := c.Dynamic.Resource(gvr).Patch(context.Background(), name, types.MergePatchType, patch, metav1.PatchOptions{}); err != nil {
		t.Fatal(err)
	}
}

func fluxLine(t *testing.T, c *testcluster.Cluster, args ...string) string {
	t.Helper()
	out, errOut, err := runCLI(append([]string{"version", "--kubeconfig", c.Kubeconfig}, args...)...)
	if err != nil {
		t.Fatalf("version %v: %v\n%s", args, err, errOut)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "flux: ") {
			return strings.TrimPrefix(line, "flux: ")
		}
	}
	t.Fatalf("version %v prints no flux line:\n%s", args, out)
	return ""
}

// version reads the installed Flux version from the label on Flux's namespace and, when the
// namespace has none, from the Kustomization CRD's label.
func TestVersionReportsTheInstalledFlux(t *testing.T) {
	c := testcluster.Get(t)
	namespaces := schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}
	crds := schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}
	const crd = "kustomizations.kustomize.toolkit.fluxcd.io"
	labelled, bare := c.Namespace(t, "flux"), c.Namespace(t, "noflux")
	labelVersion(t, c, namespaces, labelled, "v2.9.5")

	if got := fluxLine(t, c, "--flux-namespace", labelled); got != "v2.9.5" {
		t.Errorf("namespace label: flux = %q, want v2.9.5", got)
	}
	if got := fluxLine(t, c, "--flux-namespace", bare); got != "not found" {
		t.Errorf("no label anywhere: flux = %q, want not found", got)
	}
	labelVersion(t, c, crds, crd, "v2.9.4")
	t.Cleanup(func() { labelVersion(t, c, crds, crd, "") })
	if got := fluxLine(t, c, "--flux-namespace", bare); got != "v2.9.4" {
		t.Errorf("CRD label: flux = %q, want v2.9.4", got)
	}
	// The namespace's label wins over the CRD's, and a namespace that does not exist falls back.
	if got := fluxLine(t, c, "--flux-namespace", labelled); got != "v2.9.5" {
		t.Errorf("both labels: flux = %q, want the namespace's v2.9.5", got)
	}
	if got := fluxLine(t, c, "--flux-namespace", "no-such-namespace"); got != "v2.9.4" {
		t.Errorf("missing namespace: flux = %q, want the CRD's v2.9.4", got)
	}
}
