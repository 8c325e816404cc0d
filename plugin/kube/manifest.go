package kube

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
)

// document is one object of a manifest, resolved against the cluster.
type document struct {
	index   int // 1-based position in the manifest, for messages
	obj     *unstructured.Unstructured
	mapping *meta.RESTMapping
}

func (d document) String() string {
	return fmt.Sprintf("document %d (%s)", d.index, refOf(d.obj))
}

// ParseManifest splits multi-document YAML or JSON into objects, expanding v1 Lists. Exported for
// the fuzz targets in internal/parsefuzz.
func ParseManifest(manifest string) ([]*unstructured.Unstructured, error) {
	if strings.TrimSpace(manifest) == "" {
		return nil, errors.New("the manifest is empty: give one or more YAML documents")
	}
	dec := utilyaml.NewYAMLOrJSONDecoder(strings.NewReader(manifest), 4096)
	var out []*unstructured.Unstructured
	for n := 1; ; n++ {
		var doc map[string]any
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("document %d is not valid YAML: %w", n, err)
		}
		if len(doc) == 0 {
			continue // an empty document between two ---
		}
		obj := &unstructured.Unstructured{Object: doc}
		if obj.IsList() {
			err := obj.EachListItem(func(item runtime.Object) error {
				out = append(out, item.(*unstructured.Unstructured))
				return nil
			})
			if err != nil {
				return nil, fmt.Errorf("document %d: %w", n, err)
			}
			continue
		}
		out = append(out, obj)
	}
	if len(out) == 0 {
		return nil, errors.New("the manifest holds no objects")
	}
	return out, nil
}

// resolveDocuments checks every object and maps it to its resource; namespace is the default
// for namespaced objects without one, explicit says whether the caller named it.
func resolveDocuments(cl *cluster.Clients, objs []*unstructured.Unstructured, namespace string, explicit bool) ([]document, error) {
	var docs []document
	var problems []string
	seen := map[string]int{}
	for i, obj := range objs {
		n := i + 1
		if obj.GetAPIVersion() == "" || obj.GetKind() == "" {
			problems = append(problems, fmt.Sprintf("document %d has no apiVersion or kind", n))
			continue
		}
		if obj.GetName() == "" {
			problems = append(problems, fmt.Sprintf("document %d (%s) has no metadata.name", n, obj.GetKind()))
			continue
		}
		m, err := mappingFor(cl, obj.GroupVersionKind())
		if err != nil {
			problems = append(problems, fmt.Sprintf("document %d (%s/%s): %v", n, obj.GetKind(), obj.GetName(), err))
			continue
		}
		if namespaced(m) {
			switch ns := obj.GetNamespace(); {
			case ns == "":
				obj.SetNamespace(namespace)
			case explicit && ns != namespace:
				problems = append(problems, fmt.Sprintf("document %d (%s/%s): its namespace %q does not match the namespace %q given", n, obj.GetKind(), obj.GetName(), ns, namespace))
				continue
			}
		} else {
			// kubectl ignores a namespace on a cluster-scoped object; so does the API server.
			obj.SetNamespace("")
		}
		d := document{index: n, obj: obj, mapping: m}
		key := m.Resource.GroupResource().String() + "/" + obj.GetNamespace() + "/" + obj.GetName()
		if first, dup := seen[key]; dup {
			problems = append(problems, fmt.Sprintf("%s repeats document %d", d, first))
			continue
		}
		seen[key] = n
		docs = append(docs, d)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("nothing was applied: %s", strings.Join(problems, "; "))
	}
	return docs, nil
}
