package cmd_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

// TestReadCommandsAcrossTwoServers: the read commands answer per context over two API servers,
// and keep answering for the one left when the other is stopped during the test.
func TestReadCommandsAcrossTwoServers(t *testing.T) {
	two, kc := testcluster.TwoServers(t, "cli-fleet2")

	out, errOut, err := runCLI("stats", "-A", "--all-contexts", "--kubeconfig", kc)
	if err != nil || errOut != "" {
		t.Fatalf("stats: %v, stderr %q", err, errOut)
	}
	if !strings.HasPrefix(out, "== context one\nKIND ") || !strings.Contains(out, "\n\n== context two\nKIND ") {
		t.Errorf("stats over two contexts:\n%s", out)
	}

	two.Stop()

	out, errOut, err = runCLI("stats", "-A", "--contexts", "one,two", "--context-timeout", "5s", "--kubeconfig", kc)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "== context one\nKIND ") || strings.Contains(out, "context two") {
		t.Errorf("stats with two stopped:\n%s", out)
	}
	if !strings.HasPrefix(errOut, "context two: cannot reach the Kubernetes API server at https://127.0.0.1:") {
		t.Errorf("stderr: %q", errOut)
	}

	out, _, err = runCLI("diagnose", "--all", "-A", "--all-contexts", "--context-timeout", "5s", "-o", "json", "--kubeconfig", kc)
	var res struct {
		Contexts []struct {
			Context string
			Result  *struct{ Diagnoses []json.RawMessage }
			Error   string
		}
	}
	if err != nil || json.Unmarshal([]byte(out), &res) != nil {
		t.Fatalf("diagnose -o json: %v\n%s", err, out)
	}
	if len(res.Contexts) != 2 || res.Contexts[0].Result == nil || len(res.Contexts[0].Result.Diagnoses) == 0 ||
		res.Contexts[1].Result != nil || !strings.Contains(res.Contexts[1].Error, "cannot reach") {
		t.Errorf("diagnose over one live and one stopped context:\n%s", out)
	}

	if _, _, err := runCLI("graph", "--contexts", "one,three", "--kubeconfig", kc); err == nil ||
		err.Error() != `context "three" not found in kubeconfig; known contexts: [one two]` {
		t.Errorf("unknown context: %v", err)
	}
}

// TestVersionAcrossTwoServers: version --all-contexts gives each context's Kubernetes and Flux
// versions.
func TestVersionAcrossTwoServers(t *testing.T) {
	two, kc := testcluster.TwoServers(t, "cli-version2")
	one := testcluster.Get(t)
	namespaces := schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}
	flux := one.Namespace(t, "flux")
	if _, err := two.Kube.CoreV1().Namespaces().Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: flux}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	labelVersion(t, one, namespaces, flux, "v2.9.5")
	labelVersion(t, two, namespaces, flux, "v2.9.4")

	out, errOut, err := runCLI("version", "--all-contexts", "--flux-namespace", flux, "--kubeconfig", kc)
	if err != nil || errOut != "" {
		t.Fatalf("version: %v, stderr %q", err, errOut)
	}
	want := regexp.MustCompile(`^== context one\nkubectl-flux-mcp: \S+\nkubernetes: v1\.37\.\S+\nflux: v2\.9\.5\n\n== context two\nkubectl-flux-mcp: \S+\nkubernetes: v1\.37\.\S+\nflux: v2\.9\.4\n$`)
	if !want.MatchString(out) {
		t.Errorf("version --all-contexts:\n%s", out)
	}

	out, _, err = runCLI("version", "--contexts", "two", "--flux-namespace", flux, "-o", "json", "--kubeconfig", kc)
	var res struct {
		Contexts []struct {
			Context string
			Result  struct{ Server, Flux string }
		}
	}
	if err != nil || json.Unmarshal([]byte(out), &res) != nil {
		t.Fatalf("version -o json: %v\n%s", err, out)
	}
	if len(res.Contexts) != 1 || res.Contexts[0].Context != "two" || res.Contexts[0].Result.Flux != "v2.9.4" || !strings.HasPrefix(res.Contexts[0].Result.Server, "v1.37.") {
		t.Errorf("version --contexts two -o json:\n%s", out)
	}

	two.Stop()
	out, errOut, err = runCLI("version", "--all-contexts", "--context-timeout", "5s", "--flux-namespace", flux, "--kubeconfig", kc)
	if err != nil || !strings.HasPrefix(out, "== context one\n") || strings.Contains(out, "context two") ||
		!strings.HasPrefix(errOut, "context two: cannot reach the Kubernetes API server") {
		t.Errorf("version with two stopped: %v\nstdout:\n%s\nstderr: %s", err, out, errOut)
	}
	if _, _, err := runCLI("version", "--client", "--all-contexts", "--kubeconfig", kc); err == nil || !strings.Contains(err.Error(), "--client reads no cluster") {
		t.Errorf("version --client --all-contexts: %v", err)
	}
}
