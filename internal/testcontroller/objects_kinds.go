package testcontroller

import (
	"fmt"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
)

// The other reconcilable kinds, each with the fields its CRD requires and, where the status has
// required parts (an ImagePolicy's latestRef, an ImageRepository's lastScanResult), those parts
// already there, so that the controller's status write only updates the revision.

// OCIRepository is a ready OCIRepository.
func OCIRepository(ns, name string) fixtures.Object {
	return fixtures.Object{Plural: "ocirepositories", Manifest: fmt.Sprintf(`
apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata: %s
spec: {interval: 5m, url: "oci://registry.example.internal/manifests", ref: {tag: latest}}`, meta(ns, name, nil)),
		Status: ready(fixtures.Artifact("latest@sha256:0000", "sha256:0000"))}
}

// Bucket is a ready Bucket.
func Bucket(ns, name string) fixtures.Object {
	return fixtures.Object{Plural: "buckets", Manifest: fmt.Sprintf(`
apiVersion: source.toolkit.fluxcd.io/v1
kind: Bucket
metadata: %s
spec: {interval: 5m, bucketName: manifests, endpoint: minio.example.internal}`, meta(ns, name, nil)),
		Status: ready(fixtures.Artifact("sha256:0000", "sha256:0000"))}
}

// Receiver is a ready generic Receiver that triggers the GitRepository source.
func Receiver(ns, name, source string) fixtures.Object {
	return fixtures.Object{Plural: "receivers", Manifest: fmt.Sprintf(`
apiVersion: notification.toolkit.fluxcd.io/v1
kind: Receiver
metadata: %s
spec: {type: generic, secretRef: {name: webhook-token}, resources: [{kind: GitRepository, name: %s}]}`, meta(ns, name, nil), source),
		Status: ready(map[string]any{"webhookPath": "/hook/0000"})}
}

// ImageRepository is a ready ImageRepository that scanned three tags.
func ImageRepository(ns, name string) fixtures.Object {
	return fixtures.Object{Plural: "imagerepositories", Manifest: fmt.Sprintf(`
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata: %s
spec: {interval: 5m, image: registry.example.internal/podinfo}`, meta(ns, name, nil)),
		Status: ready(map[string]any{"lastScanResult": map[string]any{"tagCount": int64(3), "revision": "sha256:0000"}})}
}

// ImagePolicy is a ready semver ImagePolicy of the ImageRepository repo.
func ImagePolicy(ns, name, repo string) fixtures.Object {
	return fixtures.Object{Plural: "imagepolicies", Manifest: fmt.Sprintf(`
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata: %s
spec: {imageRepositoryRef: {name: %s}, policy: {semver: {range: 6.x}}}`, meta(ns, name, nil), repo),
		Status: ready(map[string]any{"latestRef": map[string]any{"name": "registry.example.internal/podinfo", "tag": "6.7.0"}})}
}

// ImageUpdateAutomation is a ready ImageUpdateAutomation that pushes to the GitRepository source.
func ImageUpdateAutomation(ns, name, source string) fixtures.Object {
	return fixtures.Object{Plural: "imageupdateautomations", Manifest: fmt.Sprintf(`
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata: %s
spec:
  interval: 10m
  sourceRef: {kind: GitRepository, name: %s}
  git: {commit: {author: {name: flux, email: flux@example.internal}}}`, meta(ns, name, nil), source),
		Status: ready(map[string]any{"lastPushCommit": "0000"})}
}

// FluxInstance is a ready Flux Operator FluxInstance.
func FluxInstance(ns, name string) fixtures.Object {
	return fixtures.Object{Plural: "fluxinstances", Manifest: fmt.Sprintf(`
apiVersion: fluxcd.controlplane.io/v1
kind: FluxInstance
metadata: %s
spec: {distribution: {version: "2.x", registry: registry.example.internal/fluxcd}}`, meta(ns, name, nil)),
		Status: operatorReady(map[string]any{"lastAppliedRevision": "v2.9.5@sha256:0000"})}
}

// ResourceSetInputProvider is a ready Flux Operator ResourceSetInputProvider of static inputs.
func ResourceSetInputProvider(ns, name string) fixtures.Object {
	return fixtures.Object{Plural: "resourcesetinputproviders", Manifest: fmt.Sprintf(`
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSetInputProvider
metadata: %s
spec: {type: Static}`, meta(ns, name, nil)),
		Status: operatorReady(map[string]any{"lastExportedRevision": "sha256:0000"})}
}

// operatorReady is ready without status.observedGeneration, which the Flux Operator does not write.
func operatorReady(extra map[string]any) func(int64) map[string]any {
	return func(gen int64) map[string]any {
		st := ready(extra)(gen)
		delete(st, "observedGeneration")
		return st
	}
}

// HelmReleaseChartRef is a ready HelmRelease whose chart is spec.chartRef: a HelmChart or an
// OCIRepository named refName in refNS ("" for ns).
func HelmReleaseChartRef(ns, name, refKind, refName, refNS string) fixtures.Object {
	ref := fmt.Sprintf("{kind: %s, name: %s}", refKind, refName)
	if refNS != "" {
		ref = fmt.Sprintf("{kind: %s, name: %s, namespace: %s}", refKind, refName, refNS)
	}
	return fixtures.Object{Plural: "helmreleases", Manifest: fmt.Sprintf(`
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: %s
spec: {interval: 10m, chartRef: %s}`, meta(ns, name, nil), ref),
		Status: ready(map[string]any{"lastAttemptedRevision": "6.7.0"})}
}
