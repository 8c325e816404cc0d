package tree

import "fmt"

// Compact keeps at most max nodes below the root, for an answer a model reads whole: first the
// objects that explain a failure (not Ready, unknown) and the Flux objects that give the tree its
// shape, then missing objects, then healthy leaves, each kept with its ancestors. Omitted and
// Notice say what was left out. The counts and the text still describe the whole tree (Text is
// rendered before the nodes go). max <= 0 keeps everything.
func (r *Result) Compact(max int) {
	if max <= 0 || len(r.Nodes)-1 <= max {
		return
	}
	text := r.Text()
	kids := r.Children()
	keep := make([]bool, len(r.Nodes))
	keep[0] = true
	kept := 0
	// take keeps a node with the ancestors it does not have yet, if they all fit.
	take := func(i int) {
		var chain []int
		for j := i; j > 0 && !keep[j]; j = r.Nodes[j].Parent {
			chain = append(chain, j)
		}
		if kept+len(chain) > max {
			return
		}
		for _, j := range chain {
			keep[j] = true
		}
		kept += len(chain)
	}
	ranks := []func(i int) bool{
		func(i int) bool {
			n := &r.Nodes[i]
			return n.Error != "" || (n.Exists && n.Ready != "" && n.Ready != "True") || len(kids[i]) > 0
		},
		func(i int) bool { return !r.Nodes[i].Exists },
		func(int) bool { return true },
	}
	for _, rank := range ranks {
		for i := 1; i < len(r.Nodes) && kept < max; i++ {
			if !keep[i] && rank(i) {
				take(i)
			}
		}
	}
	// Keep the depth-first order and renumber the parents.
	index := make([]int, len(r.Nodes))
	nodes := make([]Node, 0, kept+1)
	for i, n := range r.Nodes {
		if !keep[i] {
			continue
		}
		index[i] = len(nodes)
		if n.Parent >= 0 {
			n.Parent = index[n.Parent]
		}
		nodes = append(nodes, n)
	}
	r.Omitted = len(r.Nodes) - len(nodes)
	r.Nodes = nodes
	r.Notice = fmt.Sprintf("nodes holds %d of the %d objects: %d left out, healthy ones first, then missing ones; "+
		"the counts cover all of them; narrow with depth, or raise limit", len(nodes)-1, r.Objects, r.Omitted)
	r.text = text + r.Notice + "\n"
}
