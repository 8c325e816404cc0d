package trace

import (
	"fmt"
	"io"
	"strings"
)

// Print writes the chain as `flux trace` does: a block of aligned fields per level.
func (r *Result) Print(w io.Writer) error {
	var b strings.Builder
	for i := range r.Levels {
		l := &r.Levels[i]
		if i > 0 {
			b.WriteString("---\n")
		}
		field(&b, l.Kind, l.Name)
		if l.Namespace != "" {
			field(&b, "Namespace", l.Namespace)
		}
		if l.Via != "" {
			field(&b, "Found by", l.Via)
		}
		if i == 0 {
			status := "Managed by Flux"
			if !r.Managed {
				status = "Not managed by Flux"
			}
			field(&b, "Status", status)
		}
		if !l.Exists {
			field(&b, "Ready", "object not found")
			continue
		}
		if l.Ready != "" {
			field(&b, "Ready", strings.TrimSpace(l.Ready+" "+l.Reason))
		}
		if l.Suspended {
			field(&b, "Suspended", "true")
		}
		field(&b, "Revision", l.Revision)
		if l.Message != "" {
			field(&b, "Message", l.Message)
		}
		if s := l.Source; s != nil {
			field(&b, "Source", s.Ref())
			field(&b, "Source URL", s.URL)
			field(&b, "Source revision", s.Revision)
			if s.Ready != "" {
				field(&b, "Source ready", s.Ready)
			}
			if s.Message != "" {
				field(&b, "Source message", s.Message)
			}
		}
	}
	if r.Message != "" {
		b.WriteString("---\n" + r.Message + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func field(b *strings.Builder, key, value string) {
	if value == "" {
		return
	}
	fmt.Fprintf(b, "%-17s%s\n", key+":", strings.Join(strings.Fields(value), " "))
}

// Text is the compact rendering for models: one line per level, from the object up.
func (r *Result) Text() string {
	var b strings.Builder
	for i := range r.Levels {
		l := &r.Levels[i]
		if i > 0 {
			b.WriteString("<- ")
		}
		b.WriteString(l.Kind + " " + strings.TrimPrefix(l.Ref(), l.Kind+"/"))
		if l.Via != "" {
			b.WriteString(" (via " + l.Via + ")")
		}
		var parts []string
		switch {
		case !l.Exists:
			parts = append(parts, "not found")
		case l.Ready != "":
			parts = append(parts, "Ready="+l.Ready+" "+l.Reason)
		}
		if l.Suspended {
			parts = append(parts, "suspended")
		}
		if l.Revision != "" {
			parts = append(parts, "revision "+l.Revision)
		}
		if l.Ready != "" && l.Ready != "True" && l.Message != "" {
			parts = append(parts, "message: "+l.Message)
		}
		if s := l.Source; s != nil {
			src := "source " + s.Ref()
			var sp []string
			for _, v := range []string{s.URL, s.Revision} {
				if v != "" {
					sp = append(sp, v)
				}
			}
			if s.Ready != "" {
				sp = append(sp, "Ready="+s.Ready)
			}
			if !s.Exists || (s.Ready != "" && s.Ready != "True") {
				sp = append(sp, s.Message)
			}
			if len(sp) > 0 {
				src += " (" + strings.Join(sp, ", ") + ")"
			}
			parts = append(parts, src)
		}
		if len(parts) > 0 {
			b.WriteString(": " + strings.Join(parts, "; "))
		}
		b.WriteString("\n")
	}
	if r.Message != "" {
		b.WriteString(r.Message + "\n")
	}
	return b.String()
}
