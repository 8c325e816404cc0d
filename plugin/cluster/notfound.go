package cluster

import (
	"context"
	"fmt"
	"sort"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// shownNames is how many existing names a not-found message lists: enough to spot a typo, short
// enough to stay one line.
const shownNames = 10

// listedNames bounds the one list a not-found error makes: a page, not the whole kind.
const listedNames = 500

// Lister is the part of a dynamic resource client NotFound uses.
type Lister interface {
	List(ctx context.Context, opts metav1.ListOptions) (*unstructured.UnstructuredList, error)
}

// NotFoundError says which named objects do not exist and, when the kind could be listed, which
// objects of the kind do, so that a reader (or a model) can correct the name instead of guessing.
type NotFoundError struct {
	Kind string
	// Namespace is "" for a cluster-scoped kind.
	Namespace string
	Names     []string
	// Listed tells whether the kind could be listed; Existing is meaningful only then.
	Listed   bool
	Existing []string
	// More is set when the list had more objects than one page: Existing is the first page.
	More bool
	// Err is the API server's not-found error, kept so that apierrors.IsNotFound still holds.
	Err error
}

// NotFound makes the error for a named object that does not exist, with one list of the kind in
// the namespace (no GET per object). A list that fails (forbidden, unreachable) only loses the
// names: the error stays the plain not-found, never a second error.
func NotFound(ctx context.Context, ri Lister, err error, kind, namespace string, names ...string) error {
	e := &NotFoundError{Kind: kind, Namespace: namespace, Names: names, Err: err}
	if ri == nil {
		return e
	}
	list, lerr := ri.List(ctx, metav1.ListOptions{Limit: listedNames})
	if lerr != nil || list == nil {
		return e
	}
	e.Listed = true
	e.More = list.GetContinue() != ""
	for i := range list.Items {
		e.Existing = append(e.Existing, list.Items[i].GetName())
	}
	sort.Strings(e.Existing)
	return e
}

func (e *NotFoundError) Error() string {
	quoted := make([]string, len(e.Names))
	for i, n := range e.Names {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	msg := fmt.Sprintf("%s %s not found", e.Kind, strings.Join(quoted, ", "))
	there := "there"
	if e.Namespace != "" {
		msg += fmt.Sprintf(" in namespace %q", e.Namespace)
	} else {
		there = "in the cluster"
	}
	if !e.Listed {
		return msg
	}
	switch {
	case len(e.Existing) == 0 && e.Namespace != "":
		return fmt.Sprintf("%s; there is no %s in that namespace", msg, e.Kind)
	case len(e.Existing) == 0:
		return fmt.Sprintf("%s; there is no %s in the cluster", msg, e.Kind)
	case len(e.Existing) <= shownNames && !e.More:
		return fmt.Sprintf("%s; %s objects %s: %s", msg, e.Kind, there, strings.Join(e.Existing, ", "))
	}
	count := fmt.Sprint(len(e.Existing))
	if e.More {
		count = "over " + count
	}
	return fmt.Sprintf("%s; %s %s objects %s, the closest names: %s", msg, count, e.Kind, there,
		strings.Join(closest(e.Existing, e.Names, shownNames), ", "))
}

// Unwrap returns the API server's error, when there was one.
func (e *NotFoundError) Unwrap() error { return e.Err }

// closest returns up to n of the names nearest (by edit distance) to any of the wanted ones,
// nearest first, ties by name.
func closest(names, wanted []string, n int) []string {
	type scored struct {
		name string
		d    int
	}
	s := make([]scored, len(names))
	for i, name := range names {
		s[i] = scored{name, -1}
		for _, w := range wanted {
			if d := distance(name, w); s[i].d < 0 || d < s[i].d {
				s[i].d = d
			}
		}
	}
	sort.SliceStable(s, func(i, j int) bool {
		if s[i].d != s[j].d {
			return s[i].d < s[j].d
		}
		return s[i].name < s[j].name
	})
	out := make([]string, 0, n)
	for i := 0; i < len(s) && i < n; i++ {
		out = append(out, s[i].name)
	}
	return out
}

// distance is the Levenshtein distance between a and b.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
