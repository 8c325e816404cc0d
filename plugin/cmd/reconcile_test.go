package cmd_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	tc "github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcontroller"
)

var ksGVR = schema.GroupVersionResource{Group: "kustomize.toolkit.fluxcd.io", Version: "v1", Resource: "kustomizations"}

func kustomizations(t *testing.T, names ...string) (*testcluster.Cluster, string, *tc.Controller) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "clirec")
	c.Create(t, tc.GitRepository(ns, "fleet"))
	for _, n := range names {
		c.Create(t, tc.Kustomization(ns, n, "fleet", false, map[string]string{"tier": "web"}))
	}
	return c, ns, tc.Start(t, c.Config, ns, "Kustomization", "GitRepository")
}

func TestReconcileCLI(t *testing.T) {
	c, ns, ctl := kustomizations(t, "apps")
	// The source gets the new revision; the Kustomization applies it, as with the real controllers.
	ctl.Set("GitRepository", "fleet", tc.Behaviour{Revision: "main@sha1:abc123"})
	ctl.Set("Kustomization", "apps", tc.Behaviour{Delay: 200 * time.Millisecond})
	stdout, stderr, err := runCLI("reconcile", "ks", "apps", "--with-source", "-n", ns, "--kubeconfig", c.Kubeconfig)
	returned := time.Now()
	if err != nil {
		t.Fatalf("%v\nstderr:\n%s", err, stderr)
	}
	for _, want := range []string{"► annotating GitRepository " + ns + "/fleet", "◎ waiting for Kustomization " + ns + "/apps reconciliation",
		"✔ Kustomization " + ns + "/apps reconciled at revision main@sha1:abc123"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "\r") {
		t.Errorf("progress on a non-terminal must be plain lines:\n%q", stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 3 || strings.Join(strings.Fields(lines[0]), " ") != "NAME OUTCOME READY REASON REVISION DURATION CHANGED MESSAGE" {
		t.Fatalf("stdout:\n%s", stdout)
	}
	if f := strings.Fields(lines[1]); len(f) < 5 || f[0] != "gitrepository/fleet" || f[3] != "ReconciliationSucceeded" {
		t.Errorf("source row: %q", lines[1])
	}
	if f := strings.Fields(lines[2]); len(f) < 5 || f[0] != "kustomization/apps" || f[1] != "Succeeded" || f[2] != "True" ||
		f[3] != "ReconciliationSucceeded" || f[4] != "main@sha1:abc123" {
		t.Errorf("row: %q", lines[2])
	}
	ev, _ := ctl.Last("Kustomization", "apps")
	t.Logf("the CLI returned %s after the status write was sent (goal: < 100ms)", returned.Sub(ev.WrittenAt))
}

func TestReconcileCLIFailureAndTimeoutExitNonZero(t *testing.T) {
	c, ns, ctl := kustomizations(t, "broken", "stuck")
	ctl.Set("Kustomization", "broken", tc.Behaviour{Fail: "kustomize build failed: missing podinfo"})
	ctl.Set("Kustomization", "stuck", tc.Behaviour{Stall: true})
	stdout, stderr, err := runCLI("reconcile", "ks", "broken", "-n", ns, "--kubeconfig", c.Kubeconfig)
	if err == nil || !strings.Contains(err.Error(), "reconciliation failed: ReconciliationFailed: kustomize build failed: missing podinfo") {
		t.Fatalf("err = %v", err)
	}
	if f := strings.Fields(strings.Split(stdout, "\n")[1]); len(f) < 4 || f[1] != "Failed" || f[2] != "False" || f[3] != "ReconciliationFailed" ||
		!strings.Contains(stderr, "✗ Kustomization "+ns+"/broken reconciliation failed") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", stdout, stderr)
	}
	_, _, err = runCLI("reconcile", "ks", "stuck", "--timeout", "1s", "-n", ns, "--kubeconfig", c.Kubeconfig)
	if err == nil || err.Error() != "timed out after 1s waiting for Kustomization "+ns+"/stuck: last seen Ready=Unknown Progressing: 'building'" {
		t.Fatalf("err = %v", err)
	}
}

func TestReconcileCLIBulkJSON(t *testing.T) {
	c, ns, ctl := kustomizations(t, "a", "b", "c")
	ctl.Set("Kustomization", "b", tc.Behaviour{Fail: "dependency not ready"})
	stdout, _, err := runCLI("reconcile", "ks", "-l", "tier=web", "-o", "json", "-n", ns, "--kubeconfig", c.Kubeconfig)
	if err == nil || !strings.Contains(err.Error(), "reconcile failed for 1 of 3 objects") {
		t.Fatalf("err = %v", err)
	}
	var res struct {
		Items []struct {
			Name, Outcome string
			Changed       bool
		}
		Summary struct{ Total, Succeeded, Failed, Changed int }
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("-o json: %v\n%s", err, stdout)
	}
	if res.Summary.Total != 3 || res.Summary.Succeeded != 2 || res.Summary.Failed != 1 || res.Summary.Changed != 3 || !res.Items[0].Changed {
		t.Fatalf("result = %+v", res)
	}
	stdout, _, err = runCLI("reconcile", "ks", "--all", "--no-wait", "-n", ns, "--kubeconfig", c.Kubeconfig)
	if err != nil || !strings.Contains(stdout, "reconcile of 3 objects: 0 succeeded, 0 failed, 3 requested without waiting; 3 changed") {
		t.Fatalf("%v\n%s", err, stdout)
	}
}

func TestReconcileCLIRejectsBeforeChanging(t *testing.T) {
	c, ns, _ := kustomizations(t, "apps")
	cases := map[string][]string{
		`unknown output format "name": use json or yaml`:      {"reconcile", "ks", "apps", "-o", "name"},
		"--force and --reset apply to HelmRelease only":       {"reconcile", "ks", "apps", "--force"},
		"a kind is required":                                  {"reconcile"},
		"Provider cannot be reconciled":                       {"reconcile", "provider", "slack"},
		"give names, --all or -l SELECTOR, not more than one": {"suspend", "ks", "apps", "--all"},
	}
	for want, args := range cases {
		_, _, err := runCLI(append(args, "-n", ns, "--kubeconfig", c.Kubeconfig)...)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: err = %v, want %q", args, err, want)
		}
	}
	obj, err := c.Dynamic.Resource(ksGVR).Namespace(ns).Get(context.Background(), "apps", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(obj.GetAnnotations()) != 0 {
		t.Fatalf("rejected commands changed the object: %v", obj.GetAnnotations())
	}
}

func TestSuspendResumeCLI(t *testing.T) {
	c, ns, ctl := kustomizations(t, "apps")
	ctl.Set("Kustomization", "apps", tc.Behaviour{Revision: "main@sha1:beef"})
	stdout, stderr, err := runCLI("suspend", "ks", "apps", "-n", ns, "--kubeconfig", c.Kubeconfig)
	if err != nil || !strings.Contains(stderr, "✔ Kustomization "+ns+"/apps suspended") || !strings.Contains(stdout, "kustomization/apps") {
		t.Fatalf("%v\nstdout:\n%s\nstderr:\n%s", err, stdout, stderr)
	}
	_, _, err = runCLI("reconcile", "ks", "apps", "-n", ns, "--kubeconfig", c.Kubeconfig)
	if err == nil || !strings.Contains(err.Error(), "Kustomization "+ns+"/apps is suspended") {
		t.Fatalf("reconcile of a suspended object: %v", err)
	}
	stdout, stderr, err = runCLI("resume", "ks", "apps", "-o", "yaml", "-n", ns, "--kubeconfig", c.Kubeconfig)
	if err != nil || !strings.Contains(stdout, "action: resume") || !strings.Contains(stdout, "revision: main@sha1:beef") ||
		!strings.Contains(stderr, "► resuming Kustomization "+ns+"/apps") {
		t.Fatalf("%v\nstdout:\n%s\nstderr:\n%s", err, stdout, stderr)
	}
	obj, err := c.Dynamic.Resource(ksGVR).Namespace(ns).Get(context.Background(), "apps", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s, _, _ := unstructured.NestedBool(obj.Object, "spec", "suspend"); s {
		t.Fatal("still suspended after resume")
	}
}
