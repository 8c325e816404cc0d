package logs

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"
)

// Line is one log line of a Flux controller, parsed from its JSON form.
type Line struct {
	Time       string `json:"time,omitempty" jsonschema:"Timestamp as the controller wrote it (RFC 3339)"`
	Level      string `json:"level,omitempty" jsonschema:"info, error or debug"`
	Controller string `json:"controller" jsonschema:"The controller that wrote the line, e.g. kustomize-controller"`
	Kind       string `json:"kind,omitempty" jsonschema:"Kind of the object being reconciled"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name,omitempty"`
	Message    string `json:"message"`
	Error      string `json:"error,omitempty"`
	// ReconcileID ties together the lines of one reconciliation.
	ReconcileID string `json:"reconcileID,omitempty"`
	Pod         string `json:"pod"`
	// Raw is set for a line that is not JSON; it is shown as it was written.
	Raw bool `json:"raw,omitempty" jsonschema:"True when the line was not JSON and is shown as written"`

	at time.Time
}

// ParseLine reads one line a controller wrote. Flux controllers log JSON through zap with the
// controller-runtime keys; anything else (a panic trace, a klog line) comes back as a raw line.
func ParseLine(controller, pod, text string) Line {
	l := Line{Controller: controller, Pod: pod}
	var m map[string]any
	trimmed := strings.TrimSpace(text)
	if !strings.HasPrefix(trimmed, "{") || json.Unmarshal([]byte(trimmed), &m) != nil {
		l.Message, l.Raw = strings.TrimRight(text, "\r\n"), true
		return l
	}
	l.Level = str(m["level"])
	l.Message = str(m["msg"])
	l.Error = str(m["error"])
	l.ReconcileID = str(m["reconcileID"])
	l.Kind = str(m["controllerKind"])
	l.Name, l.Namespace = str(m["name"]), str(m["namespace"])
	l.at, l.Time = parseTS(m["ts"])
	// controller-runtime also logs the object under its kind: "Kustomization":{"name":..,"namespace":..}.
	// That names the kind when controllerKind is absent, and the object when name/namespace are.
	for k, v := range m {
		ref, ok := v.(map[string]any)
		if !ok || !isKindKey(k) || str(ref["name"]) == "" {
			continue
		}
		if l.Kind == "" {
			l.Kind = k
		}
		if k == l.Kind {
			if l.Name == "" {
				l.Name = str(ref["name"])
			}
			if l.Namespace == "" {
				l.Namespace = str(ref["namespace"])
			}
		}
	}
	return l
}

// isKindKey says whether a JSON key looks like a Kind (GitRepository), not a field (output).
func isKindKey(k string) bool { return k != "" && k[0] >= 'A' && k[0] <= 'Z' }

func str(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case nil:
		return ""
	default:
		return fmt.Sprint(t)
	}
}

// parseTS reads zap's timestamp: an ISO 8601 string (Flux's encoder) or epoch seconds (zap's default).
func parseTS(v any) (time.Time, string) {
	switch t := v.(type) {
	case string:
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000Z0700"} {
			if at, err := time.Parse(layout, t); err == nil {
				return at, t
			}
		}
		return time.Time{}, t
	case float64:
		sec, frac := math.Modf(t)
		at := time.Unix(int64(sec), int64(frac*1e9)).UTC()
		return at, at.Format("2006-01-02T15:04:05.000Z")
	}
	return time.Time{}, ""
}

// Object renders the reconciled object as Kind/namespace/name, "-" when the line names none.
func (l Line) Object() string {
	if l.Kind == "" && l.Name == "" {
		return "-"
	}
	parts := []string{l.Kind}
	if l.Namespace != "" {
		parts = append(parts, l.Namespace)
	}
	if l.Name != "" {
		parts = append(parts, l.Name)
	}
	return strings.Join(parts, "/")
}

// String renders the line as TIME LEVEL CONTROLLER KIND/NS/NAME MESSAGE; a raw line as written.
func (l Line) String() string {
	if l.Raw {
		return l.Message
	}
	msg := l.Message
	if l.Error != "" {
		msg += ": " + l.Error
	}
	return fmt.Sprintf("%s %s %s %s %s", dash(l.Time), dash(l.Level), l.Controller, l.Object(), msg)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// filter holds the parsed filters of a logs request.
type filter struct {
	kind, name, namespace, level string
	since                        time.Time
}

func (f filter) empty() bool {
	return f.kind == "" && f.name == "" && f.namespace == "" && f.level == "" && f.since.IsZero()
}

// match says whether a line passes the filters. A raw line carries none of the fields filtered on,
// so it passes only when there are no filters.
func (f filter) match(l Line) bool {
	if l.Raw {
		return f.empty()
	}
	switch {
	case f.kind != "" && !strings.EqualFold(l.Kind, f.kind),
		f.name != "" && l.Name != f.name,
		f.namespace != "" && l.Namespace != f.namespace,
		f.level != "" && !strings.EqualFold(l.Level, f.level),
		!f.since.IsZero() && !l.at.IsZero() && l.at.Before(f.since):
		return false
	}
	return true
}
