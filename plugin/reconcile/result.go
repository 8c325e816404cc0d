package reconcile

import (
	"fmt"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/output"
)

// Outcomes of one object.
const (
	Succeeded = "Succeeded"
	Failed    = "Failed"
	Skipped   = "Skipped"
	Requested = "Requested"
)

// Result is what a reconcile, suspend or resume did, object by object.
type Result struct {
	Action string `json:"action" jsonschema:"What was done: reconcile, suspend or resume"`
	// Sources are reconciled before the objects (with_source), each once however many objects share it.
	Sources []Item  `json:"sources,omitempty" jsonschema:"Sources reconciled first, in the order they were handled"`
	Items   []Item  `json:"items"`
	Summary Summary `json:"summary"`
	// Namespace is where the objects were selected.
	Namespace string `json:"namespace"`
}

// Item is the outcome for one object.
type Item struct {
	Kind            string  `json:"kind"`
	Namespace       string  `json:"namespace"`
	Name            string  `json:"name"`
	Outcome         string  `json:"outcome" jsonschema:"Succeeded, Failed, Skipped (suspended, left alone) or Requested (annotated without waiting)"`
	Ready           string  `json:"ready,omitempty" jsonschema:"Status of the Ready condition as last seen: True, False or Unknown"`
	Reason          string  `json:"reason,omitempty"`
	Message         string  `json:"message,omitempty" jsonschema:"The controller's message of the Ready condition"`
	Revision        string  `json:"revision,omitempty"`
	Suspended       bool    `json:"suspended"`
	DurationSeconds float64 `json:"durationSeconds,omitempty" jsonschema:"Seconds from the request to the end of the wait"`
	Duration        string  `json:"duration,omitempty"`
	RequestedAt     string  `json:"requestedAt,omitempty" jsonschema:"Value of the reconcile.fluxcd.io/requestedAt annotation that was set"`
	Changed         bool    `json:"changed" jsonschema:"Whether this run changed the object (annotation or spec)"`
	Source          string  `json:"source,omitempty" jsonschema:"The source reconciled first, as Kind/namespace/name"`
	Error           string  `json:"error,omitempty" jsonschema:"Why the object failed or was skipped"`
}

// Summary counts the outcomes of the items (sources are not counted).
type Summary struct {
	Total     int `json:"total"`
	Succeeded int `json:"succeeded"`
	Failed    int `json:"failed"`
	Skipped   int `json:"skipped"`
	Requested int `json:"requested"`
	Changed   int `json:"changed"`
}

// NewItem describes an object as it stands.
func NewItem(k fluxkinds.Kind, obj *unstructured.Unstructured) Item {
	it := Item{Kind: k.Kind, Namespace: obj.GetNamespace(), Name: obj.GetName(), Revision: k.RevisionOf(obj), Suspended: k.Suspended(obj)}
	if c, ok := fluxkinds.FindCondition(obj, "Ready"); ok {
		it.Ready, it.Reason, it.Message = c.Status, c.Reason, c.Message
	}
	return it
}

// SetDuration records how long the item took.
func (it *Item) SetDuration(d time.Duration) {
	it.DurationSeconds = d.Round(time.Millisecond).Seconds()
	it.Duration = d.Round(time.Millisecond).String()
}

// Fail marks the item failed with err.
func (it *Item) Fail(err error) {
	it.Outcome, it.Error = Failed, strings.TrimSpace(err.Error())
}

// Ref names the item as Kind namespace/name.
func (it Item) Ref() string { return Ref(it.Kind, it.Namespace, it.Name) }

// Summarise counts the items.
func (r *Result) Summarise() {
	s := Summary{Total: len(r.Items)}
	for _, it := range r.Items {
		switch it.Outcome {
		case Succeeded:
			s.Succeeded++
		case Failed:
			s.Failed++
		case Skipped:
			s.Skipped++
		case Requested:
			s.Requested++
		}
		if it.Changed {
			s.Changed++
		}
	}
	r.Summary = s
}

// Err is the error a command exits with: nil when nothing failed, the one failure when one
// object was asked for, else a count with the first failure.
func (r *Result) Err() error {
	var failed []Item
	for _, it := range r.Items {
		if it.Outcome == Failed {
			failed = append(failed, it)
		}
	}
	switch {
	case len(failed) == 0:
		return nil
	case len(r.Items) == 1:
		return &FailedError{Message: failed[0].Error}
	}
	return &FailedError{Message: fmt.Sprintf("%s failed for %d of %d objects; first: %s", r.Action, len(failed), len(r.Items), failed[0].Error)}
}

// FailedError says that the operation ran but some object did not end well.
type FailedError struct{ Message string }

func (e *FailedError) Error() string { return e.Message }

// Table is one row per object, sources first.
func (r *Result) Table() output.Table {
	t := output.Table{Columns: []output.Column{{Header: "name"}, {Header: "outcome"}, {Header: "ready"}, {Header: "reason"}, {Header: "revision"},
		{Header: "duration"}, {Header: "changed"}, {Header: "message"}}}
	for _, it := range append(append([]Item(nil), r.Sources...), r.Items...) {
		msg := it.Message
		if it.Error != "" {
			msg = it.Error
		}
		t.Rows = append(t.Rows, []string{strings.ToLower(it.Kind) + "/" + it.Name, it.Outcome, it.Ready, it.Reason, it.Revision,
			it.Duration, fmt.Sprint(it.Changed), msg})
	}
	return t
}

// SummaryLine is one line that counts what happened.
func (r *Result) SummaryLine() string {
	s := r.Summary
	parts := []string{fmt.Sprintf("%d succeeded", s.Succeeded), fmt.Sprintf("%d failed", s.Failed)}
	if s.Skipped > 0 {
		parts = append(parts, fmt.Sprintf("%d skipped", s.Skipped))
	}
	if s.Requested > 0 {
		parts = append(parts, fmt.Sprintf("%d requested without waiting", s.Requested))
	}
	return fmt.Sprintf("%s of %d %s: %s; %d changed", r.Action, s.Total, plural(s.Total, "object"), strings.Join(parts, ", "), s.Changed)
}

// Text is the compact rendering for models: one line per object, then the summary.
func (r *Result) Text() string {
	var b strings.Builder
	for _, it := range r.Sources {
		b.WriteString("source " + it.line() + "\n")
	}
	for _, it := range r.Items {
		b.WriteString(it.line() + "\n")
	}
	if len(r.Items) == 0 {
		fmt.Fprintf(&b, "no objects selected in namespace %s\n", r.Namespace)
	}
	b.WriteString(r.SummaryLine() + "\n")
	return b.String()
}

func (it Item) line() string {
	s := it.Ref() + ": " + it.Outcome
	if it.Ready != "" {
		s += ", Ready=" + it.Ready
		if it.Reason != "" {
			s += " " + it.Reason
		}
	}
	if it.Revision != "" {
		s += ", revision " + it.Revision
	}
	if it.Duration != "" {
		s += ", in " + it.Duration
	}
	if !it.Changed {
		s += ", unchanged"
	}
	switch {
	case it.Error != "":
		s += ": " + it.Error
	case it.Message != "":
		s += ": " + it.Message
	}
	return s
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
