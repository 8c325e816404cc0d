package cmd_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cmd"
)

func TestMain(m *testing.M) { testcluster.Main(m) }

// runCLI runs the root command in-process as a person would type it.
func runCLI(args ...string) (stdout, stderr string, err error) {
	streams, _, out, errOut := genericiooptions.NewTestIOStreams()
	env := cmd.NewEnv(streams)
	root := cmd.NewRootCommand(env)
	root.SetArgs(args)
	err = root.ExecuteContext(context.Background())
	return out.String(), errOut.String(), err
}

func sample(t *testing.T) (*testcluster.Cluster, string) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "cli")
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	return c, ns
}

func TestGetTable(t *testing.T) {
	c, ns := sample(t)
	out, _, err := runCLI("get", "ks", "-n", ns, "--kubeconfig", c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("want header and 3 rows, got:\n%s", out)
	}
	if f := strings.Fields(lines[0]); strings.Join(f, " ") != "NAME REVISION SUSPENDED READY MESSAGE AGE" {
		t.Errorf("header = %q", lines[0])
	}
	if !strings.HasPrefix(lines[1], "apps ") || !strings.Contains(lines[1], "False") || !strings.Contains(lines[1], "kustomize build failed") {
		t.Errorf("apps row = %q", lines[1])
	}
	if f := strings.Fields(lines[3]); f[0] != "monitoring" || f[2] != "true" {
		t.Errorf("monitoring row = %q, want suspended true", lines[3])
	}

	out, _, err = runCLI("get", "ks", "-A", "-o", "wide", "--kubeconfig", c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	header := strings.Fields(strings.SplitN(out, "\n", 2)[0])
	if header[0] != "NAMESPACE" || header[len(header)-2] != "LAST" || !strings.Contains(out, "GitRepository/"+ns+"/flux-system") {
		t.Errorf("wide output lacks namespace, source or last handled:\n%s", out)
	}
}

func TestGetAllGroupsByKind(t *testing.T) {
	c, ns := sample(t)
	out, _, err := runCLI("get", "all", "-n", ns, "--kubeconfig", c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"kustomization/apps", "helmrelease/redis", "gitrepository/flux-system", "ocirepository/manifests", "alert/on-call", "provider/slack"} {
		if !strings.Contains(out, want) {
			t.Errorf("get all lacks %s:\n%s", want, out)
		}
	}
	if strings.Count(out, "NAME ") < 6 {
		t.Errorf("want one table per kind:\n%s", out)
	}
}

func TestGetOutputFormats(t *testing.T) {
	c, ns := sample(t)
	out, _, err := runCLI("get", "hr", "-n", ns, "-o", "json", "--kubeconfig", c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Kind  string `json:"kind"`
		Items []struct {
			Kind     string `json:"kind"`
			Metadata struct{ Name string }
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("-o json is not JSON: %v\n%s", err, out)
	}
	if list.Kind != "List" || len(list.Items) != 2 || list.Items[0].Kind != "HelmRelease" || list.Items[0].Metadata.Name != "podinfo" {
		t.Fatalf("unexpected list: %+v", list)
	}
	out, _, err = runCLI("get", "hr", "redis", "-n", ns, "-o", "yaml", "--kubeconfig", c.Kubeconfig)
	if err != nil || !strings.Contains(out, "kind: HelmRelease") || !strings.Contains(out, "name: redis") || strings.Contains(out, "kind: List") {
		t.Fatalf("-o yaml of one object: %v\n%s", err, out)
	}
	out, _, err = runCLI("get", "ks", "-n", ns, "-o", "name", "--kubeconfig", c.Kubeconfig)
	if err != nil || strings.TrimSpace(out) != "kustomization.kustomize.toolkit.fluxcd.io/apps\nkustomization.kustomize.toolkit.fluxcd.io/infrastructure\nkustomization.kustomize.toolkit.fluxcd.io/monitoring" {
		t.Fatalf("-o name: %v\n%s", err, out)
	}
	out, _, err = runCLI("get", "ks", "-n", ns, "-o", "jsonpath={.items[*].status.conditions[0].reason}", "--kubeconfig", c.Kubeconfig)
	if err != nil || out != "BuildFailed ReconciliationSucceeded ReconciliationSucceeded" {
		t.Fatalf("-o jsonpath: %v\n%q", err, out)
	}
}

func TestGetBadInputIsOneClearError(t *testing.T) {
	c := testcluster.Get(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"get", "widgets"}, `unknown Flux kind "widgets"`},
		{[]string{"get"}, "a kind is required"},
		{[]string{"get", "ks", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"get", "ks", "-o", "table"}, `unknown output format "table"`},
		{[]string{"get", "ks", "--context", "nowhere"}, `context "nowhere" not found in kubeconfig; known contexts: [envtest]`},
		{[]string{"get", "ks", "--as", "mallory"}, `User "mallory" cannot list resource "kustomizations"`},
		{[]string{"get", "ks", "--server", "https://127.0.0.1:1", "--insecure-skip-tls-verify"}, "cannot reach the Kubernetes API server at https://127.0.0.1:1"},
	}
	for _, tc := range cases {
		_, stderr, err := runCLI(append(tc.args, "--kubeconfig", c.Kubeconfig)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.args, err, tc.want)
		}
		if stderr != "" {
			t.Errorf("%v: nothing but the error line should reach stderr, got %q", tc.args, stderr)
		}
	}
}

func TestVersion(t *testing.T) {
	c := testcluster.Get(t)
	out, _, err := runCLI("version", "-o", "json", "--kubeconfig", c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	var v struct{ Plugin, Server, Flux string }
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if v.Plugin == "" || !strings.HasPrefix(v.Server, "v1.37.") {
		t.Fatalf("version = %+v", v)
	}
	if out, _, err := runCLI("version", "--client"); err != nil || !strings.HasPrefix(out, "kubectl-flux-mcp: ") || strings.Contains(out, "kubernetes:") {
		t.Fatalf("--client: %v %q", err, out)
	}
}

func TestGetLimitPrintsAPageAndSaysWhatIsLeft(t *testing.T) {
	c, ns := sample(t)
	out, errOut, err := runCLI("get", "all", "-n", ns, "--limit", "2", "--kubeconfig", c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	// The failing objects come first: a Kustomization, a HelmRelease and an OCIRepository fail.
	if !strings.Contains(out, "kustomization/apps") || !strings.Contains(out, "helmrelease/redis") || strings.Contains(out, "infrastructure") {
		t.Errorf("page:\n%s", out)
	}
	if !strings.Contains(errOut, "truncated: showing 2 of ") || !strings.Contains(errOut, "continue with ") {
		t.Fatalf("stderr: %q", errOut)
	}
	tok := strings.Split(strings.SplitN(errOut, `continue with "`, 2)[1], `"`)[0]
	out, _, err = runCLI("get", "all", "-n", ns, "--limit", "2", "--continue", tok, "--kubeconfig", c.Kubeconfig)
	if err != nil || !strings.Contains(out, "ocirepository/manifests") || strings.Contains(out, "kustomization/apps") {
		t.Errorf("next page: %v\n%s", err, out)
	}
}
