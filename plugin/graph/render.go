package graph

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// State is a node's state in a few words: ready, not ready with its reason, suspended, missing or unknown.
func (n *Node) State() string {
	var s string
	switch {
	case n.Error != "":
		s = "unknown: " + short(n.Error, 100)
	case !n.Exists:
		s = "missing"
	case n.Ready == "True":
		s = "ready"
	case n.Ready == "":
		s = "no Ready condition"
	default:
		s = "not ready"
		if n.Reason != "" {
			s += ": " + n.Reason
		}
		if n.Message != "" {
			s += ": " + short(n.Message, 100)
		}
	}
	if n.Suspended {
		s = "suspended, " + s
	}
	return s
}

func short(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > max {
		return s[:max-3] + "..."
	}
	return s
}

// Text renders the graph as a tree: each Kustomization or HelmRelease that nothing depends on,
// with what it depends on beneath it, then the cycles, missing references and unread kinds.
func (r *Result) Text() string {
	var b strings.Builder
	failing := 0
	for _, n := range r.Nodes {
		if n.Failing {
			failing++
		}
	}
	fmt.Fprintf(&b, "%d nodes, %d edges, %d failing, %d cycles, %d missing references\n", len(r.Nodes), len(r.Edges), failing, len(r.Cycles), len(r.Missing))
	down := map[string][]Edge{}
	hasDependent := map[string]bool{}
	for _, e := range r.Edges {
		down[e.From] = append(down[e.From], e)
		if e.Type == "dependsOn" {
			hasDependent[e.To] = true
		}
	}
	expanded := map[string]bool{}
	var walk func(id, via, indent string, path map[string]bool)
	walk = func(id, via, indent string, path map[string]bool) {
		n := r.Node(id)
		if n == nil {
			return
		}
		line := indent + via + id + " [" + n.State() + "]"
		if n.Failing && len(n.Blocks) > 0 {
			line += fmt.Sprintf(" blocks %d", len(n.Blocks))
		}
		switch {
		case path[id]:
			b.WriteString(line + " (cycle)\n")
			return
		case expanded[id] && len(down[id]) > 0:
			b.WriteString(line + " (see above)\n")
			return
		}
		b.WriteString(line + "\n")
		expanded[id] = true
		path[id] = true
		for _, e := range down[id] {
			v := "depends on "
			if e.Type == "source" {
				v = "source "
			}
			walk(e.To, v, indent+"  ", path)
		}
		delete(path, id)
	}
	var tops []string
	for _, n := range r.Nodes {
		if (n.Kind == "Kustomization" || n.Kind == "HelmRelease") && !hasDependent[n.ID] {
			tops = append(tops, n.ID)
		}
	}
	for _, id := range tops {
		walk(id, "", "", map[string]bool{})
	}
	// Nodes only reachable through a cycle have no top; show them from the cycle.
	for _, c := range r.Cycles {
		if !expanded[c[0]] {
			walk(c[0], "", "", map[string]bool{})
		}
	}
	for _, c := range r.Cycles {
		fmt.Fprintf(&b, "cycle: %s -> %s\n", strings.Join(c, " -> "), c[0])
	}
	for _, e := range r.Missing {
		fmt.Fprintf(&b, "missing: %s %s %s\n", e.From, map[string]string{"source": "has source", "dependsOn": "depends on"}[e.Type], e.To)
	}
	for _, u := range r.Unread {
		fmt.Fprintf(&b, "could not read %s\n", u)
	}
	return b.String()
}

// Print writes the tree rendering.
func (r *Result) Print(w io.Writer) error {
	_, err := io.WriteString(w, r.Text())
	return err
}

// Dot renders the graph in Graphviz dot: failing nodes red, suspended grey, missing dashed;
// dependsOn edges solid, source edges dotted.
func (r *Result) Dot() string {
	var b strings.Builder
	b.WriteString("digraph flux {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n")
	ids := make([]string, 0, len(r.Nodes))
	for _, n := range r.Nodes {
		ids = append(ids, n.ID)
	}
	sort.Strings(ids)
	for _, id := range ids {
		n := r.Node(id)
		attrs := []string{fmt.Sprintf("label=%q", n.Kind+"\n"+n.Namespace+"/"+n.Name+"\n"+short(n.State(), 40))}
		switch {
		case !n.Exists:
			attrs = append(attrs, "style=dashed", "color=red")
		case n.Suspended:
			attrs = append(attrs, "style=filled", "fillcolor=lightgrey")
		case n.Failing:
			attrs = append(attrs, "color=red")
		default:
			attrs = append(attrs, "color=darkgreen")
		}
		fmt.Fprintf(&b, "  %q [%s];\n", id, strings.Join(attrs, ", "))
	}
	for _, e := range r.Edges {
		style := ""
		if e.Type == "source" {
			style = " [style=dotted]"
		}
		fmt.Fprintf(&b, "  %q -> %q%s;\n", e.From, e.To, style)
	}
	b.WriteString("}\n")
	return b.String()
}
