package diagnose

import (
	"fmt"
	"io"
	"strings"
)

// Text renders the diagnoses compactly: per object its state, then its findings, most likely cause
// first, each with its evidence. Long messages are cut so that a typical answer fits in 2 KB.
func (r *Result) Text() string {
	var b strings.Builder
	if len(r.Diagnoses) == 0 && r.Checked > 0 {
		fmt.Fprintf(&b, "all %d objects are Ready\n", r.Checked)
	} else if r.Checked > 0 {
		fmt.Fprintf(&b, "%d of %d objects are not Ready\n", len(r.Diagnoses), r.Checked)
	}
	for i, d := range r.Diagnoses {
		if i > 0 {
			b.WriteString("\n")
		}
		state := "no Ready condition"
		if d.Ready != "" {
			state = "Ready=" + d.Ready
			if d.Reason != "" {
				state += " " + d.Reason
			}
			if d.Since != "" {
				state += " since " + d.Since
			}
		}
		fmt.Fprintf(&b, "%s: %s\n", d.Object, state)
		if len(d.Findings) == 0 {
			b.WriteString("  no findings\n")
		}
		for j, f := range d.Findings {
			obj := ""
			if f.Object != d.Object {
				obj = " " + f.Object
			}
			fmt.Fprintf(&b, "%d. %s %s%s: %s\n", j+1, f.Severity, f.Rule, obj, cut(f.Message, limit(f.Severity)))
			if f.Evidence != "" {
				fmt.Fprintf(&b, "   evidence: %s\n", cut(f.Evidence, 140))
			}
		}
	}
	said := false
	for _, d := range r.Diagnoses {
		for _, f := range d.Findings {
			said = said || f.Rule == "forbidden"
		}
	}
	// Unread kinds are already findings of the objects they hide; say them only when no finding did.
	for _, u := range r.Unread {
		if said {
			break
		}
		fmt.Fprintf(&b, "could not read %s\n", cut(u, 200))
	}
	return b.String()
}

// Print writes the text rendering.
func (r *Result) Print(w io.Writer) error {
	_, err := io.WriteString(w, r.Text())
	return err
}

// limit keeps context (info) short and causes whole enough to act on.
func limit(severity string) int {
	if severity == Info {
		return 150
	}
	return 240
}

func cut(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > max {
		return s[:max-3] + "..."
	}
	return s
}
