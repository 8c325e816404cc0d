package tree

import (
	"fmt"
	"io"
	"strings"
)

// maxMessage bounds the Ready message on a line of the model's text; the structured content, the
// printed tree and -o json/yaml carry it whole.
const maxMessage = 300

// Print writes the tree as `flux tree` draws it, with a status marker after each object.
func (r *Result) Print(w io.Writer) error {
	var b strings.Builder
	kids := r.Children()
	var draw func(i int, prefix string)
	draw = func(i int, prefix string) {
		for j, c := range kids[i] {
			branch, next := "├── ", "│   "
			if j == len(kids[i])-1 {
				branch, next = "└── ", "    "
			}
			b.WriteString(prefix + branch + r.Nodes[c].Ref() + marker(&r.Nodes[c], true) + "\n")
			draw(c, prefix+next)
		}
	}
	b.WriteString(r.Root().Ref() + marker(r.Root(), true) + "\n")
	draw(0, "")
	b.WriteString(r.Summary() + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// marker says in a few words what is wrong with an object, or that it is ready. For people it
// follows the name with symbols and the whole message; for models it is a bracketed note with the
// message cut at maxMessage.
func marker(n *Node, forPeople bool) string {
	msg := oneLine(n.Message)
	ok, bad, wait, unknown := "ready", "", "", "unknown: "
	if forPeople {
		ok, bad, wait, unknown = "✔ ready", "✗ ", "… ", "? "
	} else {
		msg = short(msg)
	}
	var s string
	switch {
	case n.Error != "":
		s = unknown + n.Error
	case !n.Exists:
		s = bad + "missing"
	case n.Ready == "True":
		s = ok
	case n.Ready == "False":
		s = bad + "not ready: " + msg
	case n.Ready != "":
		s = wait + "reconciling: " + msg
	}
	if n.Note != "" {
		s = strings.TrimSpace(s + " (" + n.Note + ")")
	}
	switch {
	case s == "":
		return ""
	case forPeople:
		return "  " + s
	}
	return " [" + s + "]"
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func short(s string) string {
	if r := []rune(s); len(r) > maxMessage {
		return string(r[:maxMessage-1]) + "…"
	}
	return s
}

// Summary is one line of counts.
func (r *Result) Summary() string {
	return fmt.Sprintf("%d objects, %d missing, %d not ready, %d unknown", r.Objects, r.Missing, r.NotReady, r.Unknown)
}

// textLines is the size above which the model's text keeps only what matters: Flux objects and
// failing or unknown objects one a line, missing objects counted per kind with a few examples. The
// structured content still holds every node.
const textLines = 200

// missingExamples is how many missing objects a shortened text names under each parent.
const missingExamples = 5

// Text is the compact rendering for models: an indented tree, two spaces a level.
func (r *Result) Text() string {
	if r.text != "" {
		return r.text
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", r.Root().Ref(), r.Summary())
	short := r.Objects+1 > textLines
	kids := r.Children()
	omitted := 0
	var walk func(i int)
	walk = func(i int) {
		n := &r.Nodes[i]
		indent := strings.Repeat("  ", n.Depth)
		fmt.Fprintf(&b, "%s%s %s%s\n", indent, n.Kind, strings.TrimPrefix(n.Ref(), n.Kind+"/"), marker(n, false))
		var missing []*Node
		for _, c := range kids[i] {
			cn := &r.Nodes[c]
			switch {
			case !short || interesting(cn, len(kids[c]) > 0):
				walk(c)
			case !cn.Exists && cn.Error == "":
				missing = append(missing, cn)
			default:
				omitted++
			}
		}
		if len(missing) > 0 {
			fmt.Fprintf(&b, "%s  %d missing: %s; e.g. %s\n", indent, len(missing), countKinds(missing), examples(missing))
		}
	}
	walk(0)
	if omitted > 0 {
		fmt.Fprintf(&b, "(%d healthy objects not listed)\n", omitted)
	}
	return b.String()
}

// interesting nodes get a line of their own in a shortened text: failures, unknowns, and the Flux
// objects that give the tree its shape.
func interesting(n *Node, hasChildren bool) bool {
	if !n.Exists && n.Error == "" {
		return false
	}
	return n.Error != "" || (n.Ready != "" && n.Ready != "True") || hasChildren ||
		strings.HasSuffix(n.Group, "fluxcd.io") || strings.HasSuffix(n.Group, "fluxcd.controlplane.io")
}

func countKinds(nodes []*Node) string {
	counts := map[string]int{}
	var order []string
	for _, n := range nodes {
		if counts[n.Kind] == 0 {
			order = append(order, n.Kind)
		}
		counts[n.Kind]++
	}
	parts := make([]string, 0, len(order))
	for _, k := range order {
		parts = append(parts, fmt.Sprintf("%s ×%d", k, counts[k]))
	}
	return strings.Join(parts, ", ")
}

func examples(nodes []*Node) string {
	var refs []string
	for i, n := range nodes {
		if i == missingExamples {
			refs = append(refs, "…")
			break
		}
		refs = append(refs, n.Ref())
	}
	return strings.Join(refs, ", ")
}
