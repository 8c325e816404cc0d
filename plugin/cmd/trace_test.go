package cmd_test

import (
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
)

func TestTraceShowsTheChain(t *testing.T) {
	c, ns := treeSample(t)
	out, _, err := runCLI("trace", "cm/cm-c", "-n", ns, "--kubeconfig", c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"ConfigMap:       cm-c\nNamespace:       " + ns + "\nStatus:          Managed by Flux\n---\n",
		"Kustomization:   child\nNamespace:       " + ns + "\nFound by:        label kustomize.toolkit.fluxcd.io/name\nReady:           False HealthCheckFailed\n",
		"Source URL:      " + fixtures.TreeGitURL + "\n",
		"---\nResourceSet:     platform\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("trace lacks %q:\n%s", want, out)
		}
	}

	out, _, err = runCLI("trace", "deploy", "podinfo", "-n", ns, "-o", "yaml", "--kubeconfig", c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Managed bool
		Levels  []struct {
			Kind   string
			Source *struct{ URL, Revision string }
		}
	}
	if err := yaml.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("-o yaml: %v\n%s", err, out)
	}
	if !res.Managed || len(res.Levels) != 4 || res.Levels[1].Kind != "HelmRelease" || res.Levels[1].Source == nil ||
		res.Levels[1].Source.URL != fixtures.TreeHelmURL || res.Levels[1].Source.Revision != fixtures.TreeHelmRevision {
		t.Errorf("yaml trace = %+v", res)
	}

	out, _, err = runCLI("trace", "namespace", ns, "--kubeconfig", c.Kubeconfig)
	if err != nil || !strings.Contains(out, "Status:          Not managed by Flux") || !strings.Contains(out, "Namespace/"+ns+" is not managed by Flux") {
		t.Errorf("unmanaged: %v\n%s", err, out)
	}
}

func TestTraceBadInput(t *testing.T) {
	c, ns := treeSample(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"trace", "widgets", "x", "-n", ns}, `the server doesn't have a resource type "widgets"`},
		{[]string{"trace", "deploy"}, "a kind and a name are required, as KIND NAME or KIND/NAME"},
		{[]string{"trace", "deploy", "nope", "-n", ns}, `Deployment "nope" not found in namespace "` + ns + `"`},
	}
	for _, tc := range cases {
		_, stderr, err := runCLI(append(tc.args, "--kubeconfig", c.Kubeconfig)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) || stderr != "" {
			t.Errorf("%v: err = %v (stderr %q), want %q", tc.args, err, stderr, tc.want)
		}
	}
}
