package reconcile

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/dynamic"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
)

// Selection says which objects of one kind in one namespace an operation acts on: the named ones,
// all of them, or those matching a label selector. Exactly one of the three is given.
type Selection struct {
	Names         []string
	All           bool
	LabelSelector string
}

// Validate checks that exactly one way of selecting was given.
func (s Selection) Validate() error {
	n := 0
	if len(s.Names) > 0 {
		n++
	}
	if s.All {
		n++
	}
	if s.LabelSelector != "" {
		n++
		if _, err := labels.Parse(s.LabelSelector); err != nil {
			return fmt.Errorf("invalid label selector %q: %w", s.LabelSelector, err)
		}
	}
	switch {
	case n == 0:
		return errors.New("name an object, or select several with --all or -l SELECTOR")
	case n > 1:
		return errors.New("give names, --all or -l SELECTOR, not more than one of them")
	}
	for _, name := range s.Names {
		if strings.TrimSpace(name) == "" {
			return errors.New("an object name is empty")
		}
	}
	return nil
}

// Bulk says whether the selection may match many objects (or none).
func (s Selection) Bulk() bool { return len(s.Names) != 1 }

// Target is one selected object, with the client of its resource.
type Target struct {
	Kind   fluxkinds.Kind
	Object *unstructured.Unstructured
	Client dynamic.ResourceInterface
}

// Ref names the target as Kind namespace/name, as messages show it.
func (t Target) Ref() string { return Ref(t.Kind.Kind, t.Object.GetNamespace(), t.Object.GetName()) }

// Ref renders Kind namespace/name.
func Ref(kind, namespace, name string) string { return kind + " " + namespace + "/" + name }

// Resource returns the client of a Flux kind in a namespace, at the version the cluster prefers.
func Resource(cl *cluster.Clients, k fluxkinds.Kind, namespace string) (dynamic.ResourceInterface, error) {
	m, err := cl.ResolveKind(k)
	if err != nil {
		return nil, err
	}
	return cl.Resource(m, namespace), nil
}

// Select reads the selected objects: one GET for one name, else one LIST joined in memory. A
// missing name is an error that says which objects exist, before anything is changed.
func Select(ctx context.Context, cl *cluster.Clients, k fluxkinds.Kind, namespace string, s Selection) ([]Target, error) {
	ri, err := Resource(cl, k, namespace)
	if err != nil {
		return nil, err
	}
	if len(s.Names) == 1 {
		obj, err := ri.Get(ctx, s.Names[0], metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return nil, cluster.NotFound(ctx, ri, err, k.Kind, namespace, s.Names...)
		}
		if err != nil {
			return nil, cluster.Explain(err)
		}
		return []Target{{Kind: k, Object: obj, Client: ri}}, nil
	}
	list, err := ri.List(ctx, metav1.ListOptions{LabelSelector: s.LabelSelector})
	if err != nil {
		return nil, cluster.Explain(err)
	}
	byName := map[string]*unstructured.Unstructured{}
	for i := range list.Items {
		byName[list.Items[i].GetName()] = &list.Items[i]
	}
	var out []Target
	if len(s.Names) > 0 {
		var missing []string
		seen := map[string]bool{}
		for _, n := range s.Names {
			if seen[n] {
				continue
			}
			seen[n] = true
			if obj, ok := byName[n]; ok {
				out = append(out, Target{Kind: k, Object: obj, Client: ri})
			} else {
				missing = append(missing, n)
			}
		}
		if len(missing) > 0 {
			return nil, &NotFoundError{Kind: k.Kind, Namespace: namespace, Names: missing, Listed: true, Existing: sortedNames(byName), More: list.GetContinue() != ""}
		}
		return out, nil
	}
	for _, n := range sortedNames(byName) {
		out = append(out, Target{Kind: k, Object: byName[n], Client: ri})
	}
	return out, nil
}

// NotFoundError says which named objects do not exist and which do; it is the shared one, so that
// every operation words a missing name the same way.
type NotFoundError = cluster.NotFoundError

func sortedNames(m map[string]*unstructured.Unstructured) []string {
	out := make([]string, 0, len(m))
	for n := range m {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
