package cmd_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
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

// TestBrokenAnywhereAcrossTwoServers: the question "what is broken anywhere", get all -A
// --all-contexts --status-selector ready=false, names the failing objects of both clusters and
// none of the healthy ones.
func TestBrokenAnywhereAcrossTwoServers(t *testing.T) {
	two, kc := testcluster.TwoServers(t, "cli-broken2")
	one := testcluster.Get(t)
	namespaces := map[string]string{}
	for _, c := range []struct {
		cluster *testcluster.Cluster
		name    string
	}{{one, "one"}, {two, "two"}} {
		ns := c.cluster.Namespace(t, "broken-"+c.name)
		namespaces[c.name] = ns
		objs := []fixtures.Object{
			{Plural: "kustomizations", Manifest: fmt.Sprintf(`
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: failing-in-%s, namespace: %s}
spec: {interval: 10m, path: ./apps, prune: true, sourceRef: {kind: GitRepository, name: healthy-in-%s}}`, c.name, ns, c.name),
				Status: fixtures.Ready("False", "BuildFailed", "kustomize build failed in "+c.name, nil)},
			{Plural: "gitrepositories", Manifest: fmt.Sprintf(`
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: healthy-in-%s, namespace: %s}
spec: {interval: 1m, url: "https://git.example.internal/team/%s", ref: {branch: main}}`, c.name, ns, c.name),
				Status: fixtures.Ready("True", "Succeeded", "stored artifact", fixtures.Artifact("main@sha1:1234567", "sha256:12"))},
			{Plural: "helmreleases", Manifest: fmt.Sprintf(`
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: failing-release-in-%s, namespace: %s}
spec:
  interval: 10m
  chart: {spec: {chart: app, sourceRef: {kind: HelmRepository, name: charts}}}`, c.name, ns),
				Status: fixtures.Ready("False", "InstallFailed", "Helm install failed in "+c.name, nil)},
		}
		if err := fixtures.CreateAll(context.Background(), c.cluster.Dynamic, objs); err != nil {
			t.Fatal(err)
		}
	}

	out, errOut, err := runCLI("get", "all", "-A", "--all-contexts", "--status-selector", "ready=false", "--kubeconfig", kc)
	if err != nil || errOut != "" {
		t.Fatalf("get all: %v, stderr %q", err, errOut)
	}
	rows := map[string]bool{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 6 || f[0] == "CONTEXT" {
			continue
		}
		rows[f[0]+" "+f[1]+" "+f[2]] = true
		// Other tests share cluster one: only this test's namespaces are checked for healthy objects.
		mine := strings.HasPrefix(f[1], "broken-") || strings.HasPrefix(f[1], "cli-broken2-")
		if f[5] == "True" || (mine && !strings.Contains(f[2], "/failing-") && f[2] != "kustomization/apps" && f[2] != "helmrelease/redis" && f[2] != "ocirepository/manifests") {
			t.Errorf("a healthy object is listed: %s", line)
		}
	}
	for _, ctx := range []string{"one", "two"} {
		for _, obj := range []string{"kustomization/failing-in-" + ctx, "helmrelease/failing-release-in-" + ctx} {
			if !rows[ctx+" "+namespaces[ctx]+" "+obj] {
				t.Errorf("context %s: %s is not listed:\n%s", ctx, obj, out)
			}
		}
	}
}
