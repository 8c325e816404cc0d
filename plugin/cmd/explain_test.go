package cmd_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

// explainCLI runs explain, waiting while a fresh test server has not yet published the CRD schemas.
func explainCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		out, _, err := runCLI(append([]string{"explain"}, args...)...)
		if err == nil || !strings.Contains(err.Error(), "does not publish an OpenAPI v3 schema") || time.Now().After(deadline) {
			return out, err
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func TestExplain(t *testing.T) {
	c := testcluster.Get(t)
	out, err := explainCLI(t, "ks.spec.postBuild", "--kubeconfig", c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "GROUP:      kustomize.toolkit.fluxcd.io\nKIND:       Kustomization\nVERSION:    v1\n") || !strings.Contains(out, "substituteFrom\t<[]Object>") {
		t.Errorf("explain output:\n%s", out)
	}
	out, err = explainCLI(t, "gitrepo.spec.ref", "-R", "--api-version", "source.toolkit.fluxcd.io/v1", "--kubeconfig", c.Kubeconfig)
	if err != nil || !strings.Contains(out, "FIELD: ref <Object>") || !strings.Contains(out, "  branch\t<string>") {
		t.Errorf("recursive: %v\n%s", err, out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{}, "one KIND[.FIELD...] argument is required"},
		{[]string{"ks.spec.nope"}, `cannot explain kustomization.spec.nope: field "nope" does not exist`},
		{[]string{"pods"}, `unknown Flux kind "pods"`},
	} {
		_, err := explainCLI(t, append(tc.args, "--kubeconfig", c.Kubeconfig)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.args, err, tc.want)
		}
	}
}

// -o json and -o yaml carry the documented kind and field next to the text; other formats are refused.
func TestExplainOutput(t *testing.T) {
	c := testcluster.Get(t)
	out, err := explainCLI(t, "ks.spec.interval", "-o", "json", "--kubeconfig", c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	var res struct{ Kind, APIVersion, Field, Text string }
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if res.Kind != "Kustomization" || res.APIVersion != "kustomize.toolkit.fluxcd.io/v1" || res.Field != "spec.interval" ||
		!strings.Contains(res.Text, "FIELD: interval <string>") {
		t.Errorf("explain -o json = %+v", res)
	}
	out, err = explainCLI(t, "ks", "-o", "yaml", "--kubeconfig", c.Kubeconfig)
	if err != nil || !strings.Contains(out, "kind: Kustomization\n") || !strings.Contains(out, "text: \"GROUP:") {
		t.Errorf("explain -o yaml: %v\n%s", err, out)
	}
	_, err = explainCLI(t, "ks", "-o", "wide", "--kubeconfig", c.Kubeconfig)
	if err == nil || !strings.Contains(err.Error(), `unknown output format "wide": use json or yaml`) {
		t.Errorf("-o wide: err = %v", err)
	}
}
