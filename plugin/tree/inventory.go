package tree

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// ref names one object of an inventory: what the controller recorded, before the live state is read.
type ref struct {
	GroupKind schema.GroupKind
	// Version is the API version the inventory recorded (empty when unknown).
	Version   string
	Namespace string
	Name      string
	// DefaultNamespace is the namespace a namespaced object goes to when the manifest names none
	// (Helm installs such objects into the release namespace).
	DefaultNamespace string
}

func (r ref) key() objKey {
	return objKey{gk: r.GroupKind, namespace: r.Namespace, name: r.Name}
}

// objKey identifies an object independently of its API version.
type objKey struct {
	gk        schema.GroupKind
	namespace string
	name      string
}

// parseInventoryID reads an inventory entry id, "NAMESPACE_NAME_GROUP_KIND" (the format Flux's
// controllers share). Names cannot hold "_", but RBAC names may hold ":", which the format stores as
// "__"; so the namespace is cut at the first separator and group and kind at the last two.
func parseInventoryID(id string) (ref, error) {
	bad := fmt.Errorf("invalid inventory entry %q: want NAMESPACE_NAME_GROUP_KIND", id)
	ns, rest, ok := strings.Cut(id, "_")
	if !ok {
		return ref{}, bad
	}
	i := strings.LastIndex(rest, "_")
	if i < 0 {
		return ref{}, bad
	}
	kind := rest[i+1:]
	rest = rest[:i]
	j := strings.LastIndex(rest, "_")
	if j < 0 {
		return ref{}, bad
	}
	group, name := rest[j+1:], strings.ReplaceAll(rest[:j], "__", ":")
	if kind == "" || name == "" {
		return ref{}, bad
	}
	return ref{GroupKind: schema.GroupKind{Group: group, Kind: kind}, Namespace: ns, Name: name}, nil
}

// inventoryOf reads status.inventory.entries of a Kustomization, ResourceSet or FluxInstance.
// ok is false when the object records no inventory at all.
func inventoryOf(obj *unstructured.Unstructured) (refs []ref, ok bool, err error) {
	entries, found, _ := unstructured.NestedSlice(obj.Object, "status", "inventory", "entries")
	if !found {
		return nil, false, nil
	}
	for _, e := range entries {
		m, _ := e.(map[string]any)
		id, _ := m["id"].(string)
		r, perr := parseInventoryID(id)
		if perr != nil {
			return nil, true, fmt.Errorf("%s %s/%s: %w", obj.GetKind(), obj.GetNamespace(), obj.GetName(), perr)
		}
		r.Version, _ = m["v"].(string)
		refs = append(refs, r)
	}
	return refs, true, nil
}
