package events

import (
	"fmt"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/util/duration"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/output"
)

// ShowNamespace says whether rows need a NAMESPACE column: across namespaces, or when a source
// lives in another namespace than the object.
func (r *Result) ShowNamespace() bool {
	if r.Namespace == "" {
		return true
	}
	for _, e := range r.Events {
		if e.Namespace != r.Namespace {
			return true
		}
	}
	return false
}

// Table renders events with the flux CLI's columns.
func (r *Result) Table(withNamespace bool, now time.Time) output.Table {
	t := output.Table{Columns: Columns(withNamespace)}
	for _, e := range r.Events {
		t.Rows = append(t.Rows, e.Row(withNamespace, now))
	}
	return t
}

// Columns are LAST SEEN, TYPE, REASON, OBJECT, MESSAGE, after NAMESPACE when asked.
func Columns(withNamespace bool) []output.Column {
	var cols []output.Column
	if withNamespace {
		cols = append(cols, output.Column{Header: "namespace"})
	}
	return append(cols, output.Column{Header: "last seen"}, output.Column{Header: "type"}, output.Column{Header: "reason"},
		output.Column{Header: "object"}, output.Column{Header: "message"})
}

// Row is the event's table row.
func (e Event) Row(withNamespace bool, now time.Time) []string {
	var row []string
	if withNamespace {
		row = append(row, e.Namespace)
	}
	return append(row, e.Age(now), e.Type, e.Reason, e.Object, e.Message)
}

// Age renders LAST SEEN as kubectl does: "5m", or "5m (x3 over 1h)" for a repeated event.
func (e Event) Age(now time.Time) string {
	if e.last.IsZero() {
		return "<unknown>"
	}
	s := duration.HumanDuration(now.Sub(e.last))
	if e.Count > 1 && !e.first.IsZero() {
		s = fmt.Sprintf("%s (x%d over %s)", s, e.Count, duration.HumanDuration(now.Sub(e.first)))
	}
	return s
}

// EmptyMessage is what to say when no event matched.
func (r *Result) EmptyMessage() string {
	switch {
	case len(r.Objects) > 0:
		return "No events found for " + strings.Join(r.Objects, ", ") + "."
	case r.Namespace == "":
		return "No events found."
	}
	return fmt.Sprintf("No events found in %s namespace.", r.Namespace)
}

// Text is the compact rendering for models: the table, and a line when the limit cut events off.
func (r *Result) Text(now time.Time) string {
	if len(r.Events) == 0 {
		return r.EmptyMessage() + "\n"
	}
	var b strings.Builder
	_ = r.Table(r.ShowNamespace(), now).Print(&b, false, true)
	if r.Truncated {
		fmt.Fprintf(&b, "(showing the %d most recent of %d matching events; raise limit to see more)\n", len(r.Events), r.Total)
	}
	return b.String()
}
