package reconcile

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
)

// SourceFor returns what --with-source reconciles before obj, as the flux CLI does: the object's
// source; for a HelmRelease with spec.chartRef the HelmChart or OCIRepository it names, and for a
// HelmRelease with an inline spec.chart the HelmChart helm-controller generates for it, named
// NAMESPACE-NAME in the namespace of the chart's source. A HelmChart in turn brings its own source,
// so the cascade runs HelmRepository, HelmChart, HelmRelease.
func SourceFor(k fluxkinds.Kind, obj *unstructured.Unstructured) (fluxkinds.SourceRef, bool) {
	if k.Kind == "HelmRelease" {
		_, hasChartRef, _ := unstructured.NestedMap(obj.Object, "spec", "chartRef")
		_, hasChart, _ := unstructured.NestedMap(obj.Object, "spec", "chart")
		if !hasChartRef && hasChart {
			ns, _, _ := unstructured.NestedString(obj.Object, "spec", "chart", "spec", "sourceRef", "namespace")
			if ns == "" {
				ns = obj.GetNamespace()
			}
			return fluxkinds.SourceRef{Kind: "HelmChart", Name: obj.GetNamespace() + "-" + obj.GetName(), Namespace: ns}, true
		}
	}
	return k.SourceOf(obj)
}
