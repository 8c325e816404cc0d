package main_test

import (
	"strings"
	"testing"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

// A mistyped name fails every command with one error line that names the objects of the kind that
// do exist, so that the reader can correct it without another command.
func TestNotFoundNamesWhatExists(t *testing.T) {
	c := testcluster.Get(t)
	ns := sampleIn(t, c, "typo")
	env := []string{"KUBECONFIG=" + c.Kubeconfig}
	home := t.TempDir()
	want := `Kustomization "ap" not found in namespace "` + ns + `"; Kustomization objects there: apps, infrastructure, monitoring`
	for _, args := range [][]string{
		{"get", "ks", "ap"},
		{"events", "ks", "ap"},
		{"trace", "ks", "ap"},
		{"tree", "ks", "ap"},
		{"diagnose", "ks", "ap"},
		{"export", "ks", "ap"},
		{"reconcile", "ks", "ap"},
		{"suspend", "ks", "ap"},
		{"resume", "ks", "ap"},
	} {
		args = append(args, "-n", ns)
		out, errOut, code := plugin(t, home, env, args...)
		oneErrorLine(t, args, out, errOut, code, want)
	}
	// A cluster-scoped kind: the namespaces, the closest first when there are many.
	args := []string{"trace", "namespace", ns + "x"}
	out, errOut, code := plugin(t, home, env, args...)
	oneErrorLine(t, args, out, errOut, code, `Namespace "`+ns+`x" not found; `)
	if !strings.Contains(errOut, "Namespace objects in the cluster") || !strings.Contains(errOut, " "+ns) {
		t.Errorf("%v: the namespaces are not named: %q", args, errOut)
	}
}
