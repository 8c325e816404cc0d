package cmd_test

import (
	"context"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	tc "github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcontroller"
)

// suspend and resume -l change the selected objects only, and say so object by object.
func TestSuspendResumeCLIBySelector(t *testing.T) {
	c, ns, _ := kustomizations(t, "a", "b")
	c.Create(t, tc.Kustomization(ns, "other", "fleet", false, map[string]string{"tier": "db"}))
	suspended := func() map[string]bool {
		list, err := c.Dynamic.Resource(ksGVR).Namespace(ns).List(context.Background(), metav1.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, it := range list.Items {
			out[it.GetName()], _, _ = unstructured.NestedBool(it.Object, "spec", "suspend")
		}
		return out
	}

	stdout, stderr, err := runCLI("suspend", "ks", "-l", "tier=web", "-n", ns, "--kubeconfig", c.Kubeconfig)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if got := suspended(); !got["a"] || !got["b"] || got["other"] {
		t.Fatalf("suspended after suspend -l tier=web: %v", got)
	}
	for _, want := range []string{"kustomization/a", "kustomization/b", "suspend of 2 objects: 2 succeeded, 0 failed; 2 changed"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "kustomization/other") {
		t.Errorf("stdout names an object outside the selector:\n%s", stdout)
	}

	stdout, stderr, err = runCLI("resume", "ks", "-l", "tier=web", "-n", ns, "--kubeconfig", c.Kubeconfig)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if got := suspended(); got["a"] || got["b"] || got["other"] {
		t.Fatalf("suspended after resume -l tier=web: %v", got)
	}
	if !strings.Contains(stdout, "resume of 2 objects: 2 succeeded, 0 failed; 2 changed") {
		t.Errorf("stdout:\n%s", stdout)
	}

	stdout, stderr, err = runCLI("suspend", "ks", "-l", "tier=nope", "-n", ns, "--kubeconfig", c.Kubeconfig)
	if err != nil || stdout != "" || stderr != "No Kustomization objects found in "+ns+" namespace.\n" {
		t.Errorf("nothing selected: err=%v stdout=%q stderr=%q", err, stdout, stderr)
	}
	if got := suspended(); got["a"] || got["b"] || got["other"] {
		t.Fatalf("a selector matching nothing suspended %v", got)
	}
}
