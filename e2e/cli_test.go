//go:build e2e

package e2e

import (
	"context"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestCLIWithRealControllers walks a change from a Git commit into the cluster with the plugin, as
// a person would: reconcile, tree, trace, events, suspend/resume, and a broken commit.
func TestCLIWithRealControllers(t *testing.T) {
	s := env(t)
	t.Parallel()
	f, rev := newFleet(t, s, "e2e-cli")
	if got := f.color(t, "settings"); got != "blue" {
		t.Fatalf("settings color = %q after the first apply, want blue", got)
	}

	// A new commit, applied by reconcile --with-source.
	sha := f.repo.commit(t, "green", manifests("green"))
	rev2 := "main@sha1:" + sha
	res, stderr, err := pluginJSON[reconcileResult](t, s, "reconcile", "ks", f.name, "--with-source", "--timeout", "2m", "-n", f.ns)
	if err != nil {
		t.Fatalf("reconcile: %v\nstderr:\n%s", err, stderr)
	}
	if len(res.Sources) != 1 || res.Sources[0].Kind != "GitRepository" || res.Sources[0].Revision != rev2 {
		t.Errorf("sources = %+v, want the GitRepository at %s", res.Sources, rev2)
	}
	if len(res.Items) != 1 || res.Items[0].Outcome != "Succeeded" || res.Items[0].Ready != "True" || res.Items[0].Revision != rev2 {
		// Seen: Succeeded at rev: the kustomize-controller handled the request from an informer cache
		// that did not have the GitRepository's new artifact yet, then applied rev2 on the artifact
		// event; waiting only for lastHandledReconcileAt returns between the two.
		t.Fatalf("items = %+v, want Succeeded Ready=True at %s (was %s)", res.Items, rev2, rev)
	}
	for _, cm := range []string{"settings", "features", "limits"} {
		if got := f.color(t, cm); got != "green" {
			t.Errorf("%s color = %q after reconcile, want green", cm, got)
		}
	}

	// tree: the Kustomization's real inventory.
	tree, stderr, err := pluginJSON[treeResult](t, s, "tree", "ks", f.name, "-n", f.ns)
	if err != nil {
		t.Fatalf("tree: %v\n%s", err, stderr)
	}
	f.checkInventory(t, tree)

	// trace: the ConfigMap was applied by the Kustomization from the GitRepository at rev2.
	tr, stderr, err := pluginJSON[struct {
		Levels []struct {
			Kind, Name, Revision string
			Source               *struct{ Kind, Name, Revision, URL string }
		} `json:"levels"`
		Managed bool `json:"managed"`
	}](t, s, "trace", "configmap", "settings", "-n", f.ns)
	if err != nil {
		t.Fatalf("trace: %v\n%s", err, stderr)
	}
	if !tr.Managed || len(tr.Levels) < 2 || tr.Levels[1].Kind != "Kustomization" || tr.Levels[1].Name != f.name || tr.Levels[1].Revision != rev2 ||
		tr.Levels[1].Source == nil || tr.Levels[1].Source.Kind != "GitRepository" || tr.Levels[1].Source.Name != f.name ||
		tr.Levels[1].Source.Revision != rev2 || tr.Levels[1].Source.URL != f.repo.URL {
		t.Errorf("trace = %+v, want ConfigMap <- Kustomization %s <- GitRepository %s at %s", tr, f.name, f.name, rev2)
	}

	// events: what the two controllers reported.
	ev, stderr, err := pluginJSON[eventsResult](t, s, "events", "ks", f.name, "-n", f.ns)
	if err != nil {
		t.Fatalf("events: %v\n%s", err, stderr)
	}
	f.checkEvents(t, ev)

	// suspend: a new commit is fetched by the source but not applied.
	if _, stderr, err := plugin(t, s, "suspend", "ks", f.name, "-n", f.ns); err != nil {
		t.Fatalf("suspend: %v\n%s", err, stderr)
	}
	sha = f.repo.commit(t, "red", manifests("red"))
	rev3 := "main@sha1:" + sha
	if _, stderr, err := plugin(t, s, "reconcile", "gitrepo", f.name, "--timeout", "2m", "-n", f.ns); err != nil {
		t.Fatalf("reconcile gitrepo: %v\n%s", err, stderr)
	}
	f.checkHeld(t, rev3, rev2, "green")
	res, stderr, err = pluginJSON[reconcileResult](t, s, "resume", "ks", f.name, "--timeout", "2m", "-n", f.ns)
	if err != nil || len(res.Items) != 1 || res.Items[0].Ready != "True" || res.Items[0].Revision != rev3 {
		t.Fatalf("resume: %v %+v\n%s", err, res.Items, stderr)
	}
	if got := f.color(t, "settings"); got != "red" {
		t.Errorf("settings color = %q after resume, want red", got)
	}

	// A broken commit: reconcile fails with the controller's message and exits non-zero.
	broken := manifests("red")
	broken["deploy/configmaps.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n data: [unclosed\n"
	f.repo.commit(t, "broken", broken)
	res, stderr, err = pluginJSON[reconcileResult](t, s, "reconcile", "ks", f.name, "--with-source", "--timeout", "2m", "-n", f.ns)
	if exitCode(err) <= 0 {
		t.Fatalf("reconcile of a broken commit exited %d, want non-zero\nstderr:\n%s", exitCode(err), stderr)
	}
	ks, err := s.cluster.Dynamic.Resource(ksGVR).Namespace(f.ns).Get(context.Background(), f.name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	status, msg := readyOf(ks)
	if status != "False" || msg == "" {
		t.Fatalf("Kustomization Ready = %s %q after the broken commit", status, msg)
	}
	if len(res.Items) != 1 || res.Items[0].Outcome != "Failed" || res.Items[0].Message != msg || !strings.Contains(stderr, msg) {
		t.Errorf("reconcile result = %+v\nstderr:\n%s\nwant Failed with the controller's message %q", res.Items, stderr, msg)
	}
	t.Logf("controller's message for the broken commit: %s", msg)
	if got := f.color(t, "settings"); got != "red" {
		t.Errorf("settings color = %q after the broken commit, want red (unchanged)", got)
	}
}
