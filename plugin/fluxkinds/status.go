package fluxkinds

import (
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Condition is one entry of status.conditions.
type Condition struct {
	Type               string `json:"type"`
	Status             string `json:"status"`
	Reason             string `json:"reason,omitempty"`
	Message            string `json:"message,omitempty"`
	ObservedGeneration int64  `json:"observedGeneration,omitempty"`
	LastTransitionTime string `json:"lastTransitionTime,omitempty"`
}

// Conditions reads status.conditions of an object.
func Conditions(obj *unstructured.Unstructured) []Condition {
	list, _, _ := unstructured.NestedSlice(obj.Object, "status", "conditions")
	out := make([]Condition, 0, len(list))
	for _, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			continue
		}
		c := Condition{}
		c.Type, _ = m["type"].(string)
		c.Status, _ = m["status"].(string)
		c.Reason, _ = m["reason"].(string)
		c.Message, _ = m["message"].(string)
		c.LastTransitionTime, _ = m["lastTransitionTime"].(string)
		switch g := m["observedGeneration"].(type) {
		case int64:
			c.ObservedGeneration = g
		case float64:
			c.ObservedGeneration = int64(g)
		}
		out = append(out, c)
	}
	return out
}

// FindCondition returns the condition of the given type, case-insensitively.
func FindCondition(obj *unstructured.Unstructured, condType string) (Condition, bool) {
	for _, c := range Conditions(obj) {
		if strings.EqualFold(c.Type, condType) {
			return c, true
		}
	}
	return Condition{}, false
}

// Suspended says whether the object is suspended, by spec.suspend or the Flux Operator annotation.
func (k Kind) Suspended(obj *unstructured.Unstructured) bool {
	switch k.Suspend {
	case SuspendBySpec:
		s, _, _ := unstructured.NestedBool(obj.Object, "spec", "suspend")
		return s
	case SuspendByAnnotation:
		return strings.EqualFold(obj.GetAnnotations()[OperatorReconcileAnnotation], OperatorReconcileDisabled)
	}
	return false
}

// Flux Operator's switch for reconciliation.
const (
	OperatorReconcileAnnotation = "fluxcd.controlplane.io/reconcile"
	OperatorReconcileDisabled   = "disabled"
	OperatorReconcileEnabled    = "enabled"
)

// RevisionOf returns the first revision field that the object's status holds.
func (k Kind) RevisionOf(obj *unstructured.Unstructured) string {
	for _, path := range k.Revision {
		if v, _, _ := unstructured.NestedString(obj.Object, path...); v != "" {
			return v
		}
	}
	return ""
}

// SourceRef is a reference from an object to its source.
type SourceRef struct {
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
}

// String renders Kind/namespace/name, as the flux CLI shows sources.
func (r SourceRef) String() string { return r.Kind + "/" + r.Namespace + "/" + r.Name }

// SourceOf returns the object's source reference, with the namespace defaulted to the object's.
// A HelmRelease with spec.chartRef points at that HelmChart or OCIRepository.
func (k Kind) SourceOf(obj *unstructured.Unstructured) (SourceRef, bool) {
	paths := [][]string{}
	if k.Kind == "HelmRelease" {
		paths = append(paths, []string{"spec", "chartRef"})
	}
	if k.SourceRef != nil {
		paths = append(paths, k.SourceRef)
	}
	for _, p := range paths {
		m, ok, _ := unstructured.NestedMap(obj.Object, p...)
		if !ok {
			continue
		}
		ref := SourceRef{Namespace: obj.GetNamespace()}
		ref.Kind, _ = m["kind"].(string)
		ref.Name, _ = m["name"].(string)
		if ns, _ := m["namespace"].(string); ns != "" {
			ref.Namespace = ns
		}
		if ref.Kind == "" && k.Kind == "ImagePolicy" {
			ref.Kind = "ImageRepository"
		}
		if ref.Name != "" {
			return ref, true
		}
	}
	return SourceRef{}, false
}

// Fields lists every field of an object that Suspended, RevisionOf, SourceOf and Conditions read,
// besides apiVersion, kind and metadata's name, namespace and creationTimestamp. A reader that
// decodes only these (plugin/get, for a list it only summarises) sees what the helpers need; it
// lives here, next to them, so that a helper reading a new field adds it in the same place.
func (k Kind) Fields() [][]string {
	out := [][]string{{"status", "conditions"}, {"status", "lastHandledReconcileAt"}}
	switch k.Suspend {
	case SuspendBySpec:
		out = append(out, []string{"spec", "suspend"})
	case SuspendByAnnotation:
		out = append(out, []string{"metadata", "annotations", OperatorReconcileAnnotation})
	}
	if k.Kind == "HelmRelease" {
		out = append(out, []string{"spec", "chartRef"})
	}
	if k.SourceRef != nil {
		out = append(out, k.SourceRef)
	}
	return append(out, k.Revision...)
}
