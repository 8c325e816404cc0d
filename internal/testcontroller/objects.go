package testcontroller

import (
	"fmt"
	"strings"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
)

// Objects that tests reconcile, in the state a healthy installation leaves them: created, with a
// Ready=True status for their generation that handled an earlier request.

const earlier = "2026-01-01T00:00:00Z"

func ready(extra map[string]any) func(int64) map[string]any {
	if extra == nil {
		extra = map[string]any{}
	}
	extra["lastHandledReconcileAt"] = earlier
	return fixtures.Ready("True", "ReconciliationSucceeded", "Applied revision: main@sha1:0000", extra)
}

func meta(ns, name string, labels map[string]string) string {
	var l []string
	for k, v := range labels {
		l = append(l, fmt.Sprintf("%s: %q", k, v))
	}
	return fmt.Sprintf("{name: %s, namespace: %s, labels: {%s}}", name, ns, strings.Join(l, ", "))
}

// GitRepository is a ready GitRepository.
func GitRepository(ns, name string) fixtures.Object {
	return fixtures.Object{Plural: "gitrepositories", Manifest: fmt.Sprintf(`
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: %s
spec: {interval: 1m, url: "https://git.example.internal/fleet", ref: {branch: main}}`, meta(ns, name, nil)),
		Status: ready(fixtures.Artifact("main@sha1:0000", "sha256:0000"))}
}

// Kustomization is a ready Kustomization of the GitRepository source, suspended if asked.
func Kustomization(ns, name, source string, suspend bool, labels map[string]string) fixtures.Object {
	return fixtures.Object{Plural: "kustomizations", Manifest: fmt.Sprintf(`
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: %s
spec: {interval: 10m, path: ./%s, prune: true, suspend: %t, sourceRef: {kind: GitRepository, name: %s}}`, meta(ns, name, labels), name, suspend, source),
		Status: ready(map[string]any{"lastAppliedRevision": "main@sha1:0000"})}
}

// HelmRepository is a ready HelmRepository.
func HelmRepository(ns, name string) fixtures.Object {
	return fixtures.Object{Plural: "helmrepositories", Manifest: fmt.Sprintf(`
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: %s
spec: {interval: 10m, url: "https://charts.example.internal"}`, meta(ns, name, nil)),
		Status: ready(fixtures.Artifact("sha256:0000", "sha256:0000"))}
}

// HelmChart is a ready HelmChart of chart from the HelmRepository repo, as helm-controller
// generates one for a HelmRelease.
func HelmChart(ns, name, chart, repo string) fixtures.Object {
	return fixtures.Object{Plural: "helmcharts", Manifest: fmt.Sprintf(`
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmChart
metadata: %s
spec: {interval: 10m, chart: %s, sourceRef: {kind: HelmRepository, name: %s}}`, meta(ns, name, nil), chart, repo),
		Status: ready(fixtures.Artifact("6.7.0", "sha256:0000"))}
}

// HelmRelease is a ready HelmRelease of chart from the HelmRepository repo in repoNS ("" for ns).
func HelmRelease(ns, name, chart, repo, repoNS string) fixtures.Object {
	ref := fmt.Sprintf("{kind: HelmRepository, name: %s}", repo)
	if repoNS != "" {
		ref = fmt.Sprintf("{kind: HelmRepository, name: %s, namespace: %s}", repo, repoNS)
	}
	return fixtures.Object{Plural: "helmreleases", Manifest: fmt.Sprintf(`
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: %s
spec:
  interval: 10m
  chart: {spec: {chart: %s, sourceRef: %s}}`, meta(ns, name, nil), chart, ref),
		Status: ready(map[string]any{"lastAttemptedRevision": "6.7.0"})}
}

// ResourceSet is a ready Flux Operator ResourceSet.
func ResourceSet(ns, name string) fixtures.Object {
	return fixtures.Object{Plural: "resourcesets", Manifest: fmt.Sprintf(`
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: %s
spec: {resources: []}`, meta(ns, name, nil)),
		Status: func(gen int64) map[string]any {
			st := ready(map[string]any{"lastAppliedRevision": "sha256:0000"})(gen)
			delete(st, "observedGeneration") // not in the Flux Operator's status
			return st
		}}
}
