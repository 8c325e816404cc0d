package cmd_test

import (
	"context"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
)

// The exported YAML goes through the real kubectl into another namespace.
func TestExportAppliesWithKubectl(t *testing.T) {
	c, ns := sample(t)
	out, stderr, err := runCLI("export", "all", "--all", "-n", ns, "--kubeconfig", c.Kubeconfig)
	if err != nil || stderr != "" {
		t.Fatalf("%v %s", err, stderr)
	}
	if strings.Count(out, "---\n") != 10 || strings.Contains(out, "status:") || strings.Contains(out, "uid:") || strings.Contains(out, "managedFields") {
		t.Fatalf("export:\n%s", out)
	}
	dst := c.Namespace(t, "import")
	manifest := strings.ReplaceAll(out, "namespace: "+ns+"\n", "namespace: "+dst+"\n")
	kubectl := exec.Command(c.AssetsDir+"/kubectl", "--kubeconfig", c.Kubeconfig, "apply", "-f", "-")
	kubectl.Stdin = strings.NewReader(manifest)
	applied, err := kubectl.CombinedOutput()
	if err != nil || strings.Count(string(applied), " created") != 10 {
		t.Fatalf("kubectl apply: %v\n%s", err, applied)
	}
	out, _, err = runCLI("export", "ks", "apps", "-n", dst, "--kubeconfig", c.Kubeconfig)
	if err != nil || !strings.HasPrefix(out, "---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: "+dst+"\nspec:\n") {
		t.Fatalf("export of the applied copy: %v\n%s", err, out)
	}
	// kubectl apply added its last-applied annotation; export leaves it out.
	if strings.Contains(out, "last-applied-configuration") || strings.Contains(out, "annotations") {
		t.Errorf("export kept kubectl's annotation:\n%s", out)
	}
	_, _, err = runCLI("export", "ks", "-n", dst, "--kubeconfig", c.Kubeconfig)
	if err == nil || !strings.Contains(err.Error(), "name the objects to export, or export them all with --all") {
		t.Errorf("err = %v", err)
	}
}

// -o json prints one named object as itself and more as a v1 List; -o yaml is the default stream;
// -A exports every namespace.
func TestExportOutputAndAllNamespaces(t *testing.T) {
	c, ns := sample(t)
	other := c.Namespace(t, "cli-other")
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(other)); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCLI("export", "ks", "apps", "-n", ns, "-o", "json", "--kubeconfig", c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	var one map[string]any
	if err := json.Unmarshal([]byte(out), &one); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	md, _ := one["metadata"].(map[string]any)
	if one["kind"] != "Kustomization" || md["name"] != "apps" || md["uid"] != nil || one["status"] != nil {
		t.Errorf("export -o json of one object:\n%s", out)
	}

	out, _, err = runCLI("export", "ks", "--all", "-A", "-o", "json", "--kubeconfig", c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Kind  string
		Items []struct {
			Kind     string
			Metadata struct{ Name, Namespace, ResourceVersion string }
			Status   any
		}
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	seen := map[string]bool{}
	for _, it := range list.Items {
		if it.Kind != "Kustomization" || it.Status != nil || it.Metadata.ResourceVersion != "" {
			t.Errorf("not a clean Kustomization: %+v", it)
		}
		seen[it.Metadata.Namespace+"/"+it.Metadata.Name] = true
	}
	for _, want := range []string{ns + "/apps", ns + "/monitoring", other + "/apps", other + "/infrastructure"} {
		if !seen[want] {
			t.Errorf("export -A -o json misses %s: %v", want, seen)
		}
	}
	if list.Kind != "List" {
		t.Errorf("kind = %q, want List", list.Kind)
	}

	// -o yaml is the default multi-document stream, with both namespaces under -A.
	def, _, err := runCLI("export", "ks", "--all", "-A", "--kubeconfig", c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	asYAML, _, err := runCLI("export", "ks", "--all", "-A", "-o", "yaml", "--kubeconfig", c.Kubeconfig)
	if err != nil || asYAML != def {
		t.Errorf("-o yaml differs from the default: %v", err)
	}
	for _, n := range []string{ns, other} {
		if !strings.Contains(def, "  name: apps\n  namespace: "+n+"\n") {
			t.Errorf("export -A misses apps in %s", n)
		}
	}
	_, _, err = runCLI("export", "ks", "--all", "-n", ns, "-o", "name", "--kubeconfig", c.Kubeconfig)
	if err == nil || !strings.Contains(err.Error(), `unknown output format "name": use json or yaml`) {
		t.Errorf("-o name: err = %v", err)
	}
}
