package trace

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
)

// ownerLabels are the label pairs Flux's appliers set on every object they apply, naming
// themselves: kustomize-controller, helm-controller (through its post-renderer), and Flux Operator
// for ResourceSets and for FluxInstances (whose objects also carry
// app.kubernetes.io/managed-by=flux-operator).
var ownerLabels = []struct {
	kind            string
	name, namespace string
}{
	{"Kustomization", "kustomize.toolkit.fluxcd.io/name", "kustomize.toolkit.fluxcd.io/namespace"},
	{"HelmRelease", "helm.toolkit.fluxcd.io/name", "helm.toolkit.fluxcd.io/namespace"},
	{"ResourceSet", "resourceset.fluxcd.controlplane.io/name", "resourceset.fluxcd.controlplane.io/namespace"},
	{"FluxInstance", "fluxcd.controlplane.io/name", "fluxcd.controlplane.io/namespace"},
}

// fluxRef is a Flux object named by an applied object's labels.
type fluxRef struct {
	kind            fluxkinds.Kind
	namespace, name string
	// label is the label that named it.
	label string
}

// fluxOwner reads which Flux object applied obj, from its labels.
func fluxOwner(obj *unstructured.Unstructured) (fluxRef, bool) {
	labels := obj.GetLabels()
	for _, l := range ownerLabels {
		name, ns := labels[l.name], labels[l.namespace]
		if name == "" || ns == "" {
			continue
		}
		k, err := fluxkinds.Lookup(l.kind)
		if err != nil {
			continue
		}
		return fluxRef{kind: k, namespace: ns, name: name, label: l.name}, true
	}
	return fluxRef{}, false
}

func ownerLabelNames() []string {
	out := make([]string, 0, len(ownerLabels))
	for _, l := range ownerLabels {
		out = append(out, l.name)
	}
	return out
}

// FluxOwner names the Flux object that applied obj, from the labels Flux sets on what it
// applies: its kind, namespace and name, and the label that named it. Readers that already hold
// the Flux objects (diagnose) climb with it instead of one GET per level.
func FluxOwner(obj *unstructured.Unstructured) (kind, namespace, name, label string, ok bool) {
	r, ok := fluxOwner(obj)
	return r.kind.Kind, r.namespace, r.name, r.label, ok
}
