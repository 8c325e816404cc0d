package cmd_test

import (
	"os/exec"
	"strings"
	"testing"
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
