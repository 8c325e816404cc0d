package kube

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/duration"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/output"
)

// maxCell keeps a table cell to a line a reader can take in; structured results hold the whole value.
const maxCell = 120

// Text is the compact rendering of a get: a table of names with the projected values, or with
// status and age when no fields were asked for; never whole objects.
func (r *GetResult) Text(now time.Time) string {
	var b strings.Builder
	if len(r.Items) == 0 {
		if r.Namespace != "" {
			fmt.Fprintf(&b, "No %s found in %s namespace.\n", r.Kind, r.Namespace)
		} else {
			fmt.Fprintf(&b, "No %s found.\n", r.Kind)
		}
	} else {
		withNS := r.Items[0].Namespace != "" && r.Namespace == ""
		t := output.Table{}
		if withNS {
			t.Columns = append(t.Columns, output.Column{Header: "namespace"})
		}
		t.Columns = append(t.Columns, output.Column{Header: "name"})
		for _, f := range r.Fields {
			t.Columns = append(t.Columns, output.Column{Header: f})
		}
		if len(r.Fields) == 0 {
			t.Columns = append(t.Columns, output.Column{Header: "status"}, output.Column{Header: "age"})
		}
		for _, it := range r.Items {
			var row []string
			if withNS {
				row = append(row, it.Namespace)
			}
			row = append(row, strings.ToLower(r.Kind)+"/"+it.Name)
			for _, v := range it.Values {
				row = append(row, cell(v))
			}
			if len(r.Fields) == 0 {
				row = append(row, statusOf(it.Object), age(it.CreationTimestamp, now))
			}
			t.Rows = append(t.Rows, row)
		}
		b.WriteString(t.String())
	}
	if r.Notice != "" {
		b.WriteString(r.Notice + "\n")
	}
	return b.String()
}

// statusOf is the one-word state most kinds expose: the phase, else the Ready condition.
func statusOf(obj map[string]any) string {
	u := unstructured.Unstructured{Object: obj}
	if phase, _, _ := unstructured.NestedString(u.Object, "status", "phase"); phase != "" {
		return phase
	}
	conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	for _, c := range conds {
		if m, ok := c.(map[string]any); ok && m["type"] == "Ready" {
			return fmt.Sprintf("Ready=%v", m["status"])
		}
	}
	return ""
}

func age(ts string, now time.Time) string {
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return ""
	}
	return duration.HumanDuration(now.Sub(t))
}

func cell(v any) string {
	var s string
	switch t := v.(type) {
	case nil:
		s = "<none>"
	case string:
		s = t
	default:
		raw, _ := json.Marshal(t)
		s = string(raw)
	}
	if len(s) > maxCell {
		s = s[:maxCell-1] + "…"
	}
	return s
}

// Text is the API resource table, as `kubectl api-resources` prints it.
func (r *APIResourcesResult) Text() string {
	t := output.Table{Columns: []output.Column{{Header: "name"}, {Header: "shortnames"}, {Header: "apiversion"}, {Header: "namespaced"}, {Header: "kind"}}}
	for _, a := range r.Resources {
		t.Rows = append(t.Rows, []string{a.Name, strings.Join(a.ShortNames, ","), a.APIVersion, fmt.Sprint(a.Namespaced), a.Kind})
	}
	s := t.String()
	if len(r.FailedGroups) > 0 {
		s += "discovery failed for: " + strings.Join(r.FailedGroups, ", ") + "\n"
	}
	return s
}

func dryRunSuffix(dryRun bool) string {
	if dryRun {
		return " (server dry run)"
	}
	return ""
}

// Text says what happened to each object, one line each, as kubectl apply does.
func (r *ApplyResult) Text() string {
	var b strings.Builder
	for _, it := range r.Items {
		ref := Ref{Kind: it.Kind, Namespace: it.Namespace, Name: it.Name}
		fmt.Fprintf(&b, "%s %s%s\n", ref, it.Action, dryRunSuffix(r.DryRun))
	}
	return b.String()
}

// Text says whether the patch changed the object.
func (r *PatchResult) Text() string {
	action := "patched"
	if !r.Changed {
		action = "patched (no change)"
	}
	return fmt.Sprintf("%s %s%s\n", Ref{Kind: r.Kind, Namespace: r.Namespace, Name: r.Name}, action, dryRunSuffix(r.DryRun))
}

// Text says what was deleted and what still holds it.
func (r *DeleteResult) Text() string {
	s := fmt.Sprintf("%s deleted%s\n", Ref{Kind: r.Kind, Namespace: r.Namespace, Name: r.Name}, dryRunSuffix(r.DryRun))
	if len(r.Pending) > 0 {
		s += "it stays until these finalizers are released: " + strings.Join(r.Pending, ", ") + "\n"
	}
	return s
}

// Text is the context table, as `kubectl config get-contexts` prints it.
func (r *ContextsResult) Text() string {
	t := output.Table{Columns: []output.Column{{Header: "current"}, {Header: "name"}, {Header: "cluster"}, {Header: "server"}, {Header: "user"}, {Header: "namespace"}}}
	for _, c := range r.Contexts {
		cur := " "
		if c.Current {
			cur = "*"
		}
		t.Rows = append(t.Rows, []string{cur, c.Name, c.Cluster, c.Server, c.User, c.Namespace})
	}
	return t.String()
}
