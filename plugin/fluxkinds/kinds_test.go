package fluxkinds

import (
	"errors"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func TestLookupKnowsTheFluxCLINames(t *testing.T) {
	want := map[string]string{
		"ks": "Kustomization", "hr": "HelmRelease", "gitrepo": "GitRepository", "ocirepo": "OCIRepository",
		"helmrepo": "HelmRepository", "helmchart": "HelmChart", "bucket": "Bucket", "alert": "Alert",
		"provider": "Provider", "receiver": "Receiver", "imagerepo": "ImageRepository", "imagepolicy": "ImagePolicy",
		"imageupdate": "ImageUpdateAutomation", "fluxinstance": "FluxInstance", "resourceset": "ResourceSet",
		"rsip": "ResourceSetInputProvider", "Kustomization": "Kustomization", "kustomizations": "Kustomization",
		"HelmRelease.helm.toolkit.fluxcd.io": "HelmRelease", "gitrepositories.source.toolkit.fluxcd.io": "GitRepository",
	}
	for name, kind := range want {
		k, err := Lookup(name)
		if err != nil || k.Kind != kind {
			t.Errorf("Lookup(%q) = %v, %v; want %s", name, k.Kind, err, kind)
		}
	}
	_, err := Lookup("deployment")
	var unknown *UnknownKindError
	if !errors.As(err, &unknown) || !strings.Contains(err.Error(), "Kustomization (ks)") {
		t.Errorf("Lookup(deployment) = %v, want an error listing the kinds", err)
	}
}

func TestNamesAreUnique(t *testing.T) {
	seen := map[string]string{}
	for _, k := range All() {
		for _, n := range append([]string{k.Singular(), k.Plural}, k.ShortNames...) {
			if other, dup := seen[n]; dup && other != k.Kind {
				t.Errorf("%q names both %s and %s", n, other, k.Kind)
			}
			seen[n] = k.Kind
		}
	}
}

func TestStatusReaders(t *testing.T) {
	obj := &unstructured.Unstructured{Object: map[string]any{
		"metadata": map[string]any{"namespace": "apps", "annotations": map[string]any{OperatorReconcileAnnotation: "Disabled"}},
		"spec": map[string]any{"suspend": true, "chart": map[string]any{"spec": map[string]any{
			"sourceRef": map[string]any{"kind": "HelmRepository", "name": "podinfo", "namespace": "flux-system"}}}},
		"status": map[string]any{"lastAttemptedRevision": "6.7.1", "conditions": []any{
			map[string]any{"type": "Ready", "status": "False", "reason": "InstallFailed", "observedGeneration": int64(3)}}},
	}}
	hr, _ := Lookup("hr")
	rs, _ := Lookup("resourceset")
	ks, _ := Lookup("ks")
	if !hr.Suspended(obj) || !rs.Suspended(obj) {
		t.Error("spec.suspend and the disabled annotation should both read as suspended")
	}
	if hr.RevisionOf(obj) != "6.7.1" || ks.RevisionOf(obj) != "6.7.1" {
		t.Errorf("revision = %q", hr.RevisionOf(obj))
	}
	if ref, ok := hr.SourceOf(obj); !ok || ref.String() != "HelmRepository/flux-system/podinfo" {
		t.Errorf("source = %v %v", ref, ok)
	}
	c, ok := FindCondition(obj, "ready")
	if !ok || c.Reason != "InstallFailed" || c.ObservedGeneration != 3 {
		t.Errorf("condition = %+v", c)
	}
}
