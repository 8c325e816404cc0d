package main

import (
	"context"
	"fmt"

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
	rowFluxTree     = "flux tree kustomization platform"
	rowRawTreeReads = "client-go: GET the Kustomization + LIST its namespace's ConfigMaps"
	scTraceDeep     = "trace configmap chain-leaf (4 Kustomizations deep: chain-1 applies chain-2 … applies chain-4 applies it)"
	scTreeHR        = "tree hr rel-00000 (reads the release storage Secret)"
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
		sc.Rows = append(sc.Rows, b.timeProcess(ctx, procSpec{name: rowFluxTree,
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
	return []*Scenario{sc, b.treeHelmRelease(ctx)}
}

// treeHelmRelease times `tree` of a HelmRelease, which decodes the release's storage Secret
// (gzipped release JSON) and reads the live state of its manifest's objects. flux tree has no
// HelmRelease form, so the floor is the reads themselves: the HelmRelease and its release's Secrets.
func (b *bench) treeHelmRelease(ctx context.Context) *Scenario {
	sc := &Scenario{Name: scTreeHR}
	name := hrName(0)
	sc.Rows = append(sc.Rows, b.timeProcess(ctx, procSpec{name: "kubectl-flux_mcp tree hr " + name,
		argv: append([]string{b.bin, "tree", "hr", name, "-n", platformNS}, b.kc()...)}, true))
	sc.Rows = append(sc.Rows, b.timeFunc("client-go: GET the HelmRelease + LIST its release's Secrets (in process)", false, func() (int64, error) {
		if _, err := b.listDyn.Resource(schema.GroupVersionResource{Group: "helm.toolkit.fluxcd.io", Version: "v2", Resource: "helmreleases"}).
			Namespace(platformNS).Get(ctx, name, metav1.GetOptions{}); err != nil {
			return 0, err
		}
		l, err := b.listDyn.Resource(schema.GroupVersionResource{Version: "v1", Resource: "secrets"}).Namespace(platformNS).
			List(ctx, metav1.ListOptions{LabelSelector: "owner=helm,name=" + name})
		if err != nil {
			return 0, err
		}
		if len(l.Items) == 0 {
			return 0, fmt.Errorf("no release storage Secret for %s/%s", platformNS, name)
		}
		return int64(len(l.Items)), nil
	}))
	for _, s := range b.mcpServers() {
		if s.ours {
			sc.Rows = append(sc.Rows, b.mcpCalls(s, "get_flux_tree", map[string]any{"kind": "HelmRelease", "name": name, "namespace": platformNS}))
		}
	}
	return sc
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
	return []*Scenario{sc, b.traceDeep(ctx)}
}

// traceDeep traces the leaf of the chain in data.go: ours walks up through the four
// Kustomizations to the top and reads each one's source; flux trace reports the Kustomization that
// applied the object and its source.
func (b *bench) traceDeep(ctx context.Context) *Scenario {
	sc := &Scenario{Name: scTraceDeep}
	sc.Rows = append(sc.Rows, b.timeProcess(ctx, procSpec{name: "kubectl-flux_mcp trace configmap " + chainLeaf,
		argv: append([]string{b.bin, "trace", "configmap", chainLeaf, "-n", platformNS}, b.kc()...)}, true))
	if b.flux != "" {
		sc.Rows = append(sc.Rows, b.timeProcess(ctx, procSpec{name: "flux trace configmap " + chainLeaf,
			argv: append([]string{b.flux, "trace", "configmap", chainLeaf, "-n", platformNS}, b.kc()...)}, false))
	}
	for _, s := range b.mcpServers() {
		if s.ours {
			sc.Rows = append(sc.Rows, b.mcpCalls(s, "trace_flux_resource", map[string]any{"kind": "ConfigMap", "name": chainLeaf, "namespace": platformNS}))
		}
	}
	return sc
}
