package get

import (
	"fmt"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/util/duration"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/output"
)

// KindTable is the table of one kind's items.
type KindTable struct {
	Kind  string
	Table output.Table
}

// Tables renders the items as one table per kind, with the flux CLI's columns. withNamespace adds
// the NAMESPACE column (for all namespaces); prefixKind names rows kind/name, as `get all` does.
func (r *Result) Tables(withNamespace, prefixKind bool, now time.Time) []KindTable {
	var out []KindTable
	withContext := len(r.Contexts) > 0
	for _, it := range r.Items {
		if len(out) == 0 || out[len(out)-1].Kind != it.Kind {
			out = append(out, KindTable{Kind: it.Kind, Table: output.Table{Columns: columns(withContext, withNamespace)}})
		}
		t := &out[len(out)-1].Table
		name := it.Name
		if prefixKind {
			name = strings.ToLower(it.Kind) + "/" + it.Name
		}
		var row []string
		if withContext {
			row = append(row, it.Context)
		}
		if withNamespace {
			row = append(row, it.Namespace)
		}
		age := "<unknown>"
		if ts, err := time.Parse(time.RFC3339, it.CreationTimestamp); err == nil {
			age = duration.HumanDuration(now.Sub(ts))
		}
		row = append(row, name, it.Revision, fmt.Sprint(it.Suspended), it.Ready, it.Message, age, it.Source, it.LastHandledReconcileAt)
		t.Rows = append(t.Rows, row)
	}
	return out
}

func columns(withContext, withNamespace bool) []output.Column {
	var cols []output.Column
	if withContext {
		cols = append(cols, output.Column{Header: "context"})
	}
	if withNamespace {
		cols = append(cols, output.Column{Header: "namespace"})
	}
	return append(cols,
		output.Column{Header: "name"}, output.Column{Header: "revision"}, output.Column{Header: "suspended"},
		output.Column{Header: "ready"}, output.Column{Header: "message"}, output.Column{Header: "age"},
		output.Column{Header: "source", Wide: true}, output.Column{Header: "last handled", Wide: true})
}

// Text is the compact rendering for models: the counts per kind, then one table of the items with
// kind-prefixed names and the message last (the only long column, so nothing is padded to its
// width), then what a limit left out.
func (r *Result) Text() string {
	var b strings.Builder
	for _, c := range r.Summary {
		fmt.Fprintf(&b, "%s: %d (%s)\n", c.Kind, c.Total, c.states())
	}
	if len(r.Items) > 0 {
		withContext := len(r.Contexts) > 0
		var cols []output.Column
		if withContext {
			cols = append(cols, output.Column{Header: "context"})
		}
		cols = append(cols, output.Column{Header: "namespace"}, output.Column{Header: "name"},
			output.Column{Header: "ready"}, output.Column{Header: "suspended"}, output.Column{Header: "revision"},
			output.Column{Header: "message"})
		t := output.Table{Columns: cols}
		for _, it := range r.Items {
			var row []string
			if withContext {
				row = append(row, it.Context)
			}
			ready := it.Ready
			if it.Stalled {
				ready += ",Stalled"
			}
			row = append(row, it.Namespace, strings.ToLower(it.Kind)+"/"+it.Name, ready, fmt.Sprint(it.Suspended), it.Revision, it.Message)
			t.Rows = append(t.Rows, row)
		}
		if len(r.Summary) > 0 {
			b.WriteString("\n")
		}
		_ = t.Print(&b, false, true)
	}
	if len(r.Summary) == 0 {
		b.WriteString(r.EmptyMessage() + "\n")
	}
	if r.Notice != "" {
		b.WriteString(r.Notice + "\n")
	}
	b.WriteString(r.ContextErrors())
	if len(r.NotInstalled) > 0 {
		fmt.Fprintf(&b, "not installed (skipped): %s\n", strings.Join(r.NotInstalled, ", "))
	}
	return b.String()
}

// states renders a count's non-zero states.
func (c KindCount) states() string {
	var parts []string
	for _, p := range []struct {
		n    int
		name string
	}{{c.Ready, "ready"}, {c.NotReady, "not ready"}, {c.Unknown, "reconciling"}, {c.Stalled, "stalled"}, {c.Suspended, "suspended"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.name))
		}
	}
	if len(parts) == 0 {
		return "no Ready condition"
	}
	return strings.Join(parts, ", ")
}

// EmptyMessage is what kubectl says when nothing matched.
func (r *Result) EmptyMessage() string {
	if r.Namespace == "" {
		return "No Flux objects found"
	}
	return fmt.Sprintf("No Flux objects found in %s namespace.", r.Namespace)
}
