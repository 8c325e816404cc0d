package check

import "testing"

func TestImageTag(t *testing.T) {
	for image, want := range map[string]string{
		"example.invalid/fluxcd/kustomize-controller:v1.9.6":                 "v1.9.6",
		"example.invalid:5000/fluxcd/source-controller:v1.9.6@sha256:0c4f1a": "v1.9.6",
		"example.invalid:5000/fluxcd/source-controller@sha256:0c4f1a":        "",
		"helm-controller": "",
	} {
		if got := imageTag(image); got != want {
			t.Errorf("imageTag(%q) = %q, want %q", image, got, want)
		}
	}
}
