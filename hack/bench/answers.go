package main

import (
	"fmt"
	"strings"
)

// The answer scenarios: the same question put to our server and to the reference Flux MCP server,
// compared by the size of the answer a model has to read (the sum over the calls it needs) and
// the time to it. "List failing objects" is mcpListFailing; these are the two others of issue 7.

const (
	scWhyNotReady = "MCP answer: why is Kustomization %s/%s not ready?"
	scWhatDeploys = "MCP answer: what does Kustomization " + platformNS + "/platform deploy? (2,000 inventory entries)"
	// diagnosedIndex is the Kustomization the why-not-ready question is about: the first failing
	// one of the dataset (see kustomization: 90 to 96 in every 100 fail), so it exists from 91
	// Kustomizations on; the events data.go records are about it.
	diagnosedIndex = 90
)

// mcpWhyNotReady: ours answers with one diagnose_flux_resource call; the reference needs the
// object with its status, its source and the object's events, one call each.
func (b *bench) mcpWhyNotReady(size int) *Scenario {
	ns, name := nsName(diagnosedIndex), ksName(diagnosedIndex)
	sc := &Scenario{Name: fmt.Sprintf(scWhyNotReady, ns, name), Size: size}
	if size <= diagnosedIndex {
		sc.Rows = append(sc.Rows, &Row{Name: rowOursServe, Ours: true, Err: fmt.Sprintf("needs at least %d Kustomizations", diagnosedIndex+1)})
		return sc
	}
	for _, s := range b.mcpServers() {
		switch {
		case s.ours:
			row := b.mcpCalls(s, "diagnose_flux_resource", map[string]any{"kind": "Kustomization", "name": name, "namespace": ns})
			row.Calls = 1
			sc.Rows = append(sc.Rows, row)
		case strings.HasPrefix(s.name, rowFluxOperator):
			calls := []toolCall{
				{tool: "get_kubernetes_resources", args: map[string]any{"apiVersion": b.ksGVR.GroupVersion().String(), "kind": "Kustomization", "name": name, "namespace": ns}},
				{tool: "get_kubernetes_resources", args: map[string]any{"apiVersion": b.gvrOf("gitrepositories"), "kind": "GitRepository", "name": "flux-system", "namespace": ns}},
				{tool: "get_kubernetes_events", args: map[string]any{"kind": "Kustomization", "name": name, "namespace": ns}},
			}
			row := b.mcpCallSeq(s, s.name+": get_kubernetes_resources Kustomization + GitRepository, get_kubernetes_events of the Kustomization", calls)
			row.Calls = len(calls)
			sc.Rows = append(sc.Rows, row)
		}
	}
	sizeRatios(sc)
	return sc
}

// mcpWhatDeploys: ours answers with get_flux_tree, which reads the live state of every entry; the
// reference shows the Kustomization, whose status.inventory lists the entries as recorded.
// Independent of the number of Kustomizations, so measured once, at the first size.
func (b *bench) mcpWhatDeploys(size int) *Scenario {
	if size != b.sizes[0] {
		return nil
	}
	sc := &Scenario{Name: scWhatDeploys}
	for _, s := range b.mcpServers() {
		switch {
		case s.ours:
			row := b.mcpCalls(s, "get_flux_tree", map[string]any{"kind": "Kustomization", "name": "platform", "namespace": platformNS})
			row.Calls = 1
			row.addNote("live state of each entry")
			sc.Rows = append(sc.Rows, row)
		case strings.HasPrefix(s.name, rowFluxOperator):
			row := b.mcpCalls(s, "get_kubernetes_resources", map[string]any{"apiVersion": b.ksGVR.GroupVersion().String(), "kind": "Kustomization", "name": "platform", "namespace": platformNS})
			row.Calls = 1
			row.addNote("the recorded status.inventory, without live state")
			sc.Rows = append(sc.Rows, row)
		}
	}
	sizeRatios(sc)
	return sc
}

// gvrOf is the group/version the server serves for a Flux resource, e.g. "gitrepositories".
func (b *bench) gvrOf(resource string) string {
	for _, g := range b.gvrs {
		if g.Resource == resource {
			return g.GroupVersion().String()
		}
	}
	return ""
}

// sizeRatios notes on each row the number of calls and, for the baselines, the ratio of our
// answer's size to theirs: the table's ratios are of time, and here the size is the point. Both
// the whole response and its text content count: our tools put the compact rendering in the text
// and every item in structuredContent, the reference puts everything in the text.
func sizeRatios(sc *Scenario) {
	ref := reference(sc)
	for _, r := range sc.Rows {
		if r.Err != "" {
			continue
		}
		note := fmt.Sprintf("%d call(s), %d bytes on the wire, %d in text content", r.Calls, r.OutputBytes, r.TextBytes)
		if ref != nil && r != ref && r.OutputBytes > 0 && r.TextBytes > 0 {
			note += fmt.Sprintf("; size ours ÷ this: %s on the wire, %s text",
				sizeRatio(ref.OutputBytes, r.OutputBytes), sizeRatio(ref.TextBytes, r.TextBytes))
		}
		r.addNote(note)
	}
}

// sizeRatio prints a/b with two significant digits when it is small, where %.2f would print 0.00.
func sizeRatio(a, b int64) string {
	v := float64(a) / float64(b)
	if v < 0.1 {
		return fmt.Sprintf("%.2g×", v)
	}
	return fmt.Sprintf("%.2f×", v)
}
