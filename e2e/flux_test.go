//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

var (
	gitRepoGVR = schema.GroupVersionResource{Group: "source.toolkit.fluxcd.io", Version: "v1", Resource: "gitrepositories"}
	ksGVR      = schema.GroupVersionResource{Group: "kustomize.toolkit.fluxcd.io", Version: "v1", Resource: "kustomizations"}
)

// manifests is the content of the repository: three ConfigMaps, a Deployment and a Service under
// deploy/, without a kustomization.yaml (the controller generates one). color marks each commit.
func manifests(color string) map[string]string {
	cms := ""
	for _, n := range []string{"settings", "features", "limits"} {
		cms += fmt.Sprintf("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\ndata:\n  color: %s\n", n, color)
	}
	return map[string]string{
		"deploy/configmaps.yaml": cms,
		"deploy/deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: example/web:1.0
        ports:
        - containerPort: 8080
`,
		"deploy/service.yaml": `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 8080
`,
	}
}

// fleet is one test's GitRepository and Kustomization, both named NAME in namespace NS, over a
// repository of its own.
type fleet struct {
	s    *suite
	ns   string
	name string
	repo *repo
}

// newFleet commits the first revision, creates the GitRepository and the Kustomization (long
// intervals, so only the test's requests make the controllers act) and waits until the real
// controllers have made both Ready.
func newFleet(t *testing.T, s *suite, prefix string) (*fleet, string) {
	t.Helper()
	f := &fleet{s: s, ns: s.cluster.Namespace(t, prefix), name: "fleet"}
	f.repo = s.git.newRepo(t, f.ns)
	sha := f.repo.commit(t, "blue", manifests("blue"))
	ctx := context.Background()
	src := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
		"metadata": map[string]any{"name": f.name, "namespace": f.ns},
		"spec":     map[string]any{"url": f.repo.URL, "interval": "1h", "timeout": "30s", "ref": map[string]any{"branch": "main"}},
	}}
	if _, err := s.cluster.Dynamic.Resource(gitRepoGVR).Namespace(f.ns).Create(ctx, src, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	ks := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
		"metadata": map[string]any{"name": f.name, "namespace": f.ns},
		"spec": map[string]any{"interval": "1h", "retryInterval": "1h", "path": "./deploy", "prune": true, "targetNamespace": f.ns,
			"timeout": "1m", "sourceRef": map[string]any{"kind": "GitRepository", "name": f.name}},
	}}
	if _, err := s.cluster.Dynamic.Resource(ksGVR).Namespace(f.ns).Create(ctx, ks, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	rev := "main@sha1:" + sha
	f.waitReady(t, gitRepoGVR, rev)
	f.waitReady(t, ksGVR, rev)
	return f, rev
}

// waitReady waits until the object is Ready=True for its generation at revision rev.
func (f *fleet) waitReady(t *testing.T, gvr schema.GroupVersionResource, rev string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	last := ""
	for time.Now().Before(deadline) {
		if why := f.s.exited(); why != "" {
			t.Fatal(why)
		}
		obj, err := f.s.cluster.Dynamic.Resource(gvr).Namespace(f.ns).Get(context.Background(), f.name, metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ready, msg := readyOf(obj)
		got := revisionOf(obj)
		last = fmt.Sprintf("Ready=%s %q revision %q", ready, msg, got)
		if ready == "True" && got == rev {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("%s %s/%s not Ready at %s within 2m; last seen %s", gvr.Resource, f.ns, f.name, rev, last)
}

func readyOf(obj *unstructured.Unstructured) (status, message string) {
	conds, _, _ := unstructured.NestedSlice(obj.Object, "status", "conditions")
	for _, c := range conds {
		m, _ := c.(map[string]any)
		if m["type"] == "Ready" && m["observedGeneration"] == obj.Object["metadata"].(map[string]any)["generation"] {
			s, _ := m["status"].(string)
			msg, _ := m["message"].(string)
			return s, msg
		}
	}
	return "", ""
}

func revisionOf(obj *unstructured.Unstructured) string {
	if r, ok, _ := unstructured.NestedString(obj.Object, "status", "artifact", "revision"); ok {
		return r
	}
	r, _, _ := unstructured.NestedString(obj.Object, "status", "lastAppliedRevision")
	return r
}

// color reads data.color of an applied ConfigMap.
func (f *fleet) color(t *testing.T, cm string) string {
	t.Helper()
	got, err := f.s.cluster.Kube.CoreV1().ConfigMaps(f.ns).Get(context.Background(), cm, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return got.Data["color"]
}

// plugin runs the built kubectl-flux_mcp as kubectl would, against the test cluster.
func plugin(t *testing.T, s *suite, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := exec.Command(testcluster.PluginBinary(t), append(args, "--kubeconfig", s.cluster.Kubeconfig)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

// pluginJSON runs the plugin with -o json and decodes stdout into T.
func pluginJSON[T any](t *testing.T, s *suite, args ...string) (T, string, error) {
	t.Helper()
	var v T
	stdout, stderr, err := plugin(t, s, append(args, "-o", "json")...)
	if jerr := json.Unmarshal([]byte(stdout), &v); jerr != nil {
		t.Fatalf("%v: stdout is not JSON (%v): %q\nstderr:\n%s", args, jerr, stdout, stderr)
	}
	return v, stderr, err
}

type reconcileResult struct {
	Items []struct {
		Kind, Name, Outcome, Ready, Reason, Message, Revision, Error string
	} `json:"items"`
	Sources []struct{ Kind, Name, Outcome, Revision string } `json:"sources"`
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// treeResult is what the flows read of a tree: the CLI's -o json and the get_flux_tree tool's
// structured content.
type treeResult struct {
	Nodes []struct {
		Depth     int    `json:"depth"`
		Kind      string `json:"kind"`
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
		Exists    bool   `json:"exists"`
	} `json:"nodes"`
}

// checkInventory checks that the tree lists exactly the five objects the Kustomization applied,
// all present in the cluster.
func (f *fleet) checkInventory(t *testing.T, tree treeResult) {
	t.Helper()
	inv := map[string]bool{}
	for _, n := range tree.Nodes {
		if n.Depth == 1 && n.Exists && n.Namespace == f.ns {
			inv[n.Kind+"/"+n.Name] = true
		}
	}
	for _, want := range []string{"ConfigMap/settings", "ConfigMap/features", "ConfigMap/limits", "Deployment/web", "Service/web"} {
		if !inv[want] {
			t.Errorf("tree lacks %s: %+v", want, tree.Nodes)
		}
	}
	if len(inv) != 5 {
		t.Errorf("tree lists %d applied objects, want 5: %v", len(inv), inv)
	}
}

// eventsResult is what the flows read of the events of the Kustomization and its source.
type eventsResult struct {
	Events []struct {
		Reason  string `json:"reason"`
		Object  string `json:"object"`
		Message string `json:"message"`
		Source  string `json:"source"`
	} `json:"events"`
}

// checkEvents checks that both controllers' events are there: the kustomize-controller's about the
// Kustomization and the source-controller's about the GitRepository.
func (f *fleet) checkEvents(t *testing.T, ev eventsResult) {
	t.Helper()
	sources := map[string]bool{}
	for _, e := range ev.Events {
		sources[e.Source+" "+e.Object] = true
	}
	if !sources["kustomize-controller Kustomization/"+f.name] || !sources["source-controller GitRepository/"+f.name] {
		t.Errorf("events lack the controllers' events: %+v", ev.Events)
	}
}

// checkHeld checks a suspended Kustomization after its source has been asked to fetch a new
// commit: the GitRepository becomes Ready at fetched, while the cluster keeps what was applied at
// applied (color) and the Kustomization's lastAppliedRevision stays at applied.
func (f *fleet) checkHeld(t *testing.T, fetched, applied, color string) {
	t.Helper()
	f.waitReady(t, gitRepoGVR, fetched)
	// The kustomize-controller reacts to a new artifact within milliseconds when not suspended.
	time.Sleep(3 * time.Second)
	ks, err := f.s.cluster.Dynamic.Resource(ksGVR).Namespace(f.ns).Get(context.Background(), f.name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if suspended, _, _ := unstructured.NestedBool(ks.Object, "spec", "suspend"); !suspended {
		t.Errorf("Kustomization spec.suspend = false after suspend")
	}
	if got := f.color(t, "settings"); got != color {
		t.Fatalf("settings color = %q while suspended, want %s (not applied)", got, color)
	}
	if got := revisionOf(ks); got != applied {
		t.Errorf("lastAppliedRevision = %s while suspended, want %s", got, applied)
	}
}
