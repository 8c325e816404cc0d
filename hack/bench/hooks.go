package main

import (
	"context"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Scenarios of the operations that landed after the first version of the benchmark. They do not
// depend on the number of Kustomizations (one object and its inventory), so they run once, at
// the first size. The data is in place from the start (see data.go): Kustomization "platform" in
// bench-00 lists 2,000 ConfigMaps that exist and carry the owner labels kustomize-controller sets.

const (
	scTree          = "tree ks platform (2,000 inventory entries, all existing)"
	scTrace         = "trace configmap platform-0042 (owned by Kustomization platform)"
	platformNS      = "bench-00"
	platformTraced  = "platform-0042"
	rowRawTreeReads = "client-go: GET the Kustomization + LIST its namespace's ConfigMaps"
)

// treeScenarios times `tree` as a process against `flux tree` and against the two reads it
// cannot avoid, and the get_flux_tree tool's warm call and answer size.
func (b *bench) treeScenarios(ctx context.Context, size int) []*Scenario {
	if size != b.sizes[0] {
		return nil
	}
	sc := &Scenario{Name: scTree}
	sc.Rows = append(sc.Rows, b.timeProcess(ctx, procSpec{name: "kubectl-flux_mcp tree ks platform",
		argv: append([]string{b.bin, "tree", "ks", "platform", "-n", platformNS}, b.kc()...)}, true))
	if b.flux != "" {
		sc.Rows = append(sc.Rows, b.timeProcess(ctx, procSpec{name: "flux tree kustomization platform",
			argv: append([]string{b.flux, "tree", "kustomization", "platform", "-n", platformNS}, b.kc()...)}, false))
	}
	sc.Rows = append(sc.Rows, b.timeFunc(rowRawTreeReads+" (in process)", false, func() (int64, error) {
		if _, err := b.listDyn.Resource(b.ksGVR).Namespace(platformNS).Get(ctx, "platform", metav1.GetOptions{}); err != nil {
			return 0, err
		}
		l, err := b.listDyn.Resource(schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}).Namespace(platformNS).List(ctx, metav1.ListOptions{})
		if err != nil {
			return 0, err
		}
		return int64(len(l.Items)), nil
	}))
	for _, s := range b.mcpServers() {
		if s.ours {
			sc.Rows = append(sc.Rows, b.mcpCalls(s, "get_flux_tree", map[string]any{"kind": "Kustomization", "name": "platform", "namespace": platformNS}))
		}
	}
	return []*Scenario{sc}
}

// traceScenarios times `trace` of one applied object against `flux trace`, and the
// trace_flux_resource tool's warm call and answer size.
func (b *bench) traceScenarios(ctx context.Context, size int) []*Scenario {
	if size != b.sizes[0] {
		return nil
	}
	sc := &Scenario{Name: scTrace}
	sc.Rows = append(sc.Rows, b.timeProcess(ctx, procSpec{name: "kubectl-flux_mcp trace configmap " + platformTraced,
		argv: append([]string{b.bin, "trace", "configmap", platformTraced, "-n", platformNS}, b.kc()...)}, true))
	if b.flux != "" {
		sc.Rows = append(sc.Rows, b.timeProcess(ctx, procSpec{name: "flux trace configmap " + platformTraced,
			argv: append([]string{b.flux, "trace", "configmap", platformTraced, "-n", platformNS}, b.kc()...)}, false))
	}
	for _, s := range b.mcpServers() {
		if s.ours {
			sc.Rows = append(sc.Rows, b.mcpCalls(s, "trace_flux_resource", map[string]any{"kind": "ConfigMap", "name": platformTraced, "namespace": platformNS}))
		}
	}
	return []*Scenario{sc}
}
