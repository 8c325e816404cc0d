package diagnose_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/diagnose"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

func TestMain(m *testing.M) { testcluster.Main(m) }

func sample(t *testing.T) (*testcluster.Cluster, string) {
	t.Helper()
	c := testcluster.Get(t)
	ns := c.Namespace(t, "diag")
	if err := fixtures.CreateDiagnose(context.Background(), c.Dynamic, ns); err != nil {
		t.Fatal(err)
	}
	return c, ns
}

func one(t *testing.T, kubeconfig, ns, kind, name string) diagnose.Diagnosis {
	t.Helper()
	res, err := operation.Execute(context.Background(), testcluster.Cache(kubeconfig), &diagnose.Options{Kind: kind, Name: name, Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Diagnoses) != 1 {
		t.Fatalf("diagnoses = %+v", res.Diagnoses)
	}
	if txt := res.Text(); len(txt) > 2048 {
		t.Errorf("text of %s/%s is %d bytes, want at most 2 KB:\n%s", kind, name, len(txt), txt)
	}
	return res.Diagnoses[0]
}

func rules(d diagnose.Diagnosis) string {
	var out []string
	for _, f := range d.Findings {
		out = append(out, f.Rule)
	}
	return strings.Join(out, ",")
}

func find(t *testing.T, d diagnose.Diagnosis, rule string) diagnose.Finding {
	t.Helper()
	for _, f := range d.Findings {
		if f.Rule == rule {
			return f
		}
	}
	t.Fatalf("%s: no %s finding; got %s", d.Object, rule, rules(d))
	return diagnose.Finding{}
}

func TestDiagnoseFailingSourceComesFirst(t *testing.T) {
	c, ns := sample(t)
	now := time.Now()
	ev := &corev1.Event{
		ObjectMeta:     metav1.ObjectMeta{Name: "broken.1", Namespace: ns},
		InvolvedObject: corev1.ObjectReference{Kind: "GitRepository", APIVersion: "source.toolkit.fluxcd.io/v1", Name: "broken", Namespace: ns},
		Type:           "Warning", Reason: "GitOperationFailed", Message: "authentication required", Count: 7,
		FirstTimestamp: metav1.NewTime(now.Add(-time.Hour)), LastTimestamp: metav1.NewTime(now.Add(-time.Minute)),
		Source: corev1.EventSource{Component: "source-controller"},
	}
	if _, err := c.Kube.CoreV1().Events(ns).Create(context.Background(), ev, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	d := one(t, c.Kubeconfig, ns, "ks", "frontend")
	if d.Findings[0].Rule != "source-not-ready" || d.Findings[0].Object != "GitRepository/"+ns+"/broken" || d.Findings[0].Severity != "error" {
		t.Fatalf("first finding = %+v, want the failing source", d.Findings[0])
	}
	if !strings.Contains(d.Findings[0].Message, fixtures.DiagnoseBrokenSourceMessage) || !strings.Contains(d.Findings[0].Evidence, "status.conditions[Ready]=False reason GitOperationFailed since ") {
		t.Errorf("source finding = %+v", d.Findings[0])
	}
	find(t, d, "source-no-artifact")
	if f := find(t, d, "warning-event"); f.Object != "GitRepository/"+ns+"/broken" || f.Message != "GitOperationFailed: authentication required" || !strings.Contains(f.Evidence, "x7") {
		t.Errorf("event finding = %+v", f)
	}
	if f := find(t, d, "not-ready"); !strings.Contains(f.Message, "ArtifactFailed") {
		t.Errorf("own Ready finding = %+v", f)
	}
	// No kubelet here: the logs cannot be read, and the diagnosis says so.
	if f := find(t, d, "logs-unavailable"); f.Severity != "info" {
		t.Errorf("logs finding = %+v", f)
	}
}

func TestDiagnoseDependencyAndMissingInventory(t *testing.T) {
	c, ns := sample(t)
	d := one(t, c.Kubeconfig, ns, "ks", "apps")
	f := d.Findings[0]
	if f.Rule != "dependency-not-ready" || f.Object != "Kustomization/"+ns+"/infra" || !strings.Contains(f.Message, "HealthCheckFailed") || !strings.Contains(f.Evidence, "spec.dependsOn[0] of Kustomization/"+ns+"/apps") {
		t.Fatalf("first finding = %+v", f)
	}
	if strings.Contains(rules(d), "source-not-ready") {
		t.Errorf("a ready source is reported as a cause: %s", rules(d))
	}

	d = one(t, c.Kubeconfig, ns, "ks", "infra")
	if f := find(t, d, "inventory-missing"); f.Object != "ConfigMap/"+ns+"/cm-gone" || f.Evidence != "status.inventory of Kustomization/"+ns+"/infra" {
		t.Errorf("inventory finding = %+v", f)
	}
	if f := find(t, d, "source-ready"); !strings.Contains(f.Message, "main@sha1:5d7e1a2b") {
		t.Errorf("source context = %+v", f)
	}

	d = one(t, c.Kubeconfig, ns, "ks", "orphan")
	if f := d.Findings[0]; f.Rule != "dependency-missing" || f.Object != "Kustomization/"+ns+"/nowhere" {
		t.Errorf("missing dependency = %+v", f)
	}
	d = one(t, c.Kubeconfig, ns, "ks", "loop-a")
	if f := find(t, d, "dependency-cycle"); !strings.Contains(f.Message, "Kustomization/"+ns+"/loop-a -> Kustomization/"+ns+"/loop-b -> Kustomization/"+ns+"/loop-a") {
		t.Errorf("cycle = %+v", f)
	}
}

func TestDiagnoseSuspendedParentAndStale(t *testing.T) {
	c, ns := sample(t)
	d := one(t, c.Kubeconfig, ns, "ks", "child")
	if f := d.Findings[0]; f.Rule != "ancestor-suspended" || f.Object != "Kustomization/"+ns+"/parent" {
		t.Fatalf("first finding = %+v (all: %s)", f, rules(d))
	}
	d = one(t, c.Kubeconfig, ns, "ks", "parent")
	if d.Findings[0].Rule != "suspended" || strings.Contains(rules(d), "stale") {
		t.Errorf("parent: %s", rules(d))
	}
	d = one(t, c.Kubeconfig, ns, "ks", "stale")
	if f := find(t, d, "stale"); !strings.Contains(f.Message, "interval 1m") || !strings.Contains(f.Message, "is not handled yet") ||
		!strings.HasPrefix(f.Evidence, "metadata.annotations[reconcile.fluxcd.io/requestedAt]=") {
		t.Errorf("stale = %+v", f)
	}
	// A fresh object is not stale.
	if d := one(t, c.Kubeconfig, ns, "gitrepo", "fleet"); strings.Contains(rules(d), "stale") {
		t.Errorf("fleet: %s", rules(d))
	}
}

func TestDiagnoseAllListsOnlyObjectsNotReady(t *testing.T) {
	c, ns := sample(t)
	res, err := operation.Execute(context.Background(), testcluster.Cache(c.Kubeconfig), &diagnose.Options{All: true, Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range res.Diagnoses {
		got = append(got, strings.TrimPrefix(d.Object, "Kustomization/"+ns+"/"))
	}
	want := "apps,child,frontend,infra,loop-a,loop-b,orphan,GitRepository/" + ns + "/broken"
	if strings.Join(got, ",") != want || res.Checked != 11 {
		t.Errorf("all: checked %d, got %s, want %s", res.Checked, strings.Join(got, ","), want)
	}
	if !strings.HasPrefix(res.Text(), "8 of 11 objects are not Ready\n") {
		t.Errorf("text:\n%s", res.Text())
	}
}

func TestDiagnoseForbiddenReadsAreSaidAndSkipped(t *testing.T) {
	c, ns := sample(t)
	c.Grant(t, "ks-reader", ns, rbacv1.PolicyRule{
		APIGroups: []string{"kustomize.toolkit.fluxcd.io"}, Resources: []string{"kustomizations"}, Verbs: []string{"get", "list"},
	})
	kc := c.AddUser(t, "ks-reader")
	d := one(t, kc, ns, "ks", "apps")
	if d.Findings[0].Rule != "dependency-not-ready" {
		t.Errorf("the readable part is still diagnosed: %s", rules(d))
	}
	f := find(t, d, "forbidden")
	if f.Object != "GitRepository/"+ns+"/fleet" || !strings.Contains(f.Message, "could not read the source") || !strings.Contains(f.Message, "forbidden") {
		t.Errorf("forbidden finding = %+v", f)
	}
	var events bool
	for _, f := range d.Findings {
		if f.Rule == "forbidden" && strings.Contains(f.Message, "could not read events") {
			events = true
		}
	}
	if !events {
		t.Errorf("unread events not said: %+v", d.Findings)
	}
}

func TestDiagnoseBadInput(t *testing.T) {
	c := testcluster.Get(t)
	cache := testcluster.Cache(c.Kubeconfig)
	ns := c.Namespace(t, "diag-bad")
	cases := []struct {
		o    *diagnose.Options
		want string
	}{
		{&diagnose.Options{Namespace: ns}, "a kind and a name are required"},
		{&diagnose.Options{Kind: "widget", Name: "x", Namespace: ns}, `unknown Flux kind "widget"`},
		{&diagnose.Options{Kind: "ks", Namespace: ns}, "a name is required"},
		{&diagnose.Options{Kind: "ks", Name: "x", All: true, Namespace: ns}, "not both"},
		{&diagnose.Options{Kind: "ks", Name: "nope", Namespace: ns}, `Kustomization "nope" not found in namespace "` + ns + `"; there is no Kustomization in that namespace`},
	}
	for _, tc := range cases {
		_, err := operation.Execute(context.Background(), cache, tc.o)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v, want %q", tc.o, err, tc.want)
		}
	}
}

// TestDiagnoseStaleOnlyOnRealSignals: Flux moves Ready's lastTransitionTime only when Ready
// changes, so a healthy object with an old one is not stale; one whose source moved long ago
// without it trying the new revision, or whose generation has long gone unobserved, is.
func TestDiagnoseStaleOnlyOnRealSignals(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "diag-stale")
	ago := func(d time.Duration) string { return time.Now().Add(-d).UTC().Format(time.RFC3339) }
	const rev, oldRev = "main@sha1:2222222222222222222222222222222222222222", "main@sha1:1111111111111111111111111111111111111111"
	readySince := func(since string, extra map[string]any) func(int64) map[string]any {
		return func(gen int64) map[string]any {
			st := fixtures.Ready("True", "ReconciliationSucceeded", "Applied revision: "+rev, extra)(gen)
			st["conditions"].([]any)[0].(map[string]any)["lastTransitionTime"] = since
			return st
		}
	}
	artifact := func(updated string) map[string]any {
		a := fixtures.Artifact(rev, "sha256:2222")
		a["artifact"].(map[string]any)["lastUpdateTime"] = updated
		return a
	}
	ks := func(name, source, annotations string) string {
		return fmt.Sprintf(`
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: %s, namespace: %s, annotations: {%s}}
spec: {interval: 1m, path: ./%s, prune: true, sourceRef: {kind: GitRepository, name: %s}}`, name, ns, annotations, name, source)
	}
	git := func(name string) string {
		return fmt.Sprintf(`
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: %s, namespace: %s}
spec: {interval: 1m, url: "https://git.example.internal/team/%s", ref: {branch: main}}`, name, ns, name)
	}
	requested := ago(2 * time.Hour)
	objs := []fixtures.Object{
		// The source's artifact changed long ago (a quiet repository): healthy, not stale.
		{Plural: "gitrepositories", Manifest: git("quiet"), Status: readySince(ago(2*time.Hour), artifact(ago(2*time.Hour)))},
		// Ready for two hours at the source's revision, its last request handled: healthy.
		{Plural: "kustomizations", Manifest: ks("steady", "quiet", `reconcile.fluxcd.io/requestedAt: "`+requested+`"`),
			Status: readySince(ago(2*time.Hour), map[string]any{"lastAttemptedRevision": rev, "lastAppliedRevision": rev, "lastHandledReconcileAt": requested})},
		// Its source moved an hour ago; it still attempted only the old revision.
		{Plural: "gitrepositories", Manifest: git("moved"), Status: readySince(ago(time.Hour), artifact(ago(time.Hour)))},
		{Plural: "kustomizations", Manifest: ks("behind", "moved", ""),
			Status: readySince(ago(2*time.Hour), map[string]any{"lastAttemptedRevision": oldRev, "lastAppliedRevision": oldRev})},
		// Its source moved a minute ago: not yet three intervals, not stale.
		{Plural: "gitrepositories", Manifest: git("fresh"), Status: readySince(ago(time.Minute), artifact(ago(time.Minute)))},
		{Plural: "kustomizations", Manifest: ks("catching-up", "fresh", ""),
			Status: readySince(ago(2*time.Hour), map[string]any{"lastAttemptedRevision": oldRev})},
	}
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, objs); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"steady", "catching-up"} {
		if d := one(t, c.Kubeconfig, ns, "ks", name); strings.Contains(rules(d), "stale") {
			t.Errorf("%s is flagged stale: %+v", name, d.Findings)
		}
	}
	if d := one(t, c.Kubeconfig, ns, "gitrepo", "quiet"); strings.Contains(rules(d), "stale") {
		t.Errorf("quiet is flagged stale: %+v", d.Findings)
	}
	d := one(t, c.Kubeconfig, ns, "ks", "behind")
	if f := find(t, d, "stale"); !strings.Contains(f.Message, "its source moved to revision "+rev) ||
		!strings.HasPrefix(f.Evidence, "status.lastAttemptedRevision="+oldRev+", GitRepository/"+ns+"/moved status.artifact.revision="+rev) {
		t.Errorf("behind: %+v", f)
	}

	// A spec change left unobserved for more than three intervals since Ready last changed.
	obj, err := c.Dynamic.Resource(kustomizations).Namespace(ns).Get(context.Background(), "steady", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := unstructured.SetNestedField(obj.Object, "./changed", "spec", "path"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Dynamic.Resource(kustomizations).Namespace(ns).Update(context.Background(), obj, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	d = one(t, c.Kubeconfig, ns, "ks", "steady")
	if f := find(t, d, "stale"); !strings.Contains(f.Message, "generation 2 is not reconciled") ||
		!strings.HasPrefix(f.Evidence, "metadata.generation=2, status.conditions[Ready].observedGeneration=1") {
		t.Errorf("steady after a spec change: %+v", f)
	}
}

var kustomizations = schema.GroupVersionResource{Group: "kustomize.toolkit.fluxcd.io", Version: "v1", Resource: "kustomizations"}

// TestDiagnoseEachRuleIsTheLikeliestCause: for each object of DiagnoseRulesSample its rule's
// finding comes first, with its evidence.
func TestDiagnoseEachRuleIsTheLikeliestCause(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "diag-rules")
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.DiagnoseRulesSample(ns)); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, rule, object, message, evidence string
	}{
		{"pinned", "source-suspended", "GitRepository/" + ns + "/frozen", "the source is suspended: its artifact does not update", "spec.suspend: true"},
		{"lost", "source-missing", "GitRepository/" + ns + "/gone", "the source does not exist", "spec.sourceRef of Kustomization/" + ns + "/lost"},
		{"platform", "inventory-not-ready", "HelmRelease/" + ns + "/db", "applied object is not ready: " + fixtures.DiagnoseInstallFailedMessage, "status.inventory of Kustomization/" + ns + "/platform"},
		{"stuck", "stalled", "Kustomization/" + ns + "/stuck", "Stalled ArtifactFailed: kustomization path not found", "status.conditions[Stalled]"},
		{"sick", "condition", "Kustomization/" + ns + "/sick", "Healthy=False HealthCheckFailed: timeout waiting for: [Deployment/" + ns + "/web", "status.conditions[Healthy] since "},
	}
	for _, tc := range cases {
		d := one(t, c.Kubeconfig, ns, "ks", tc.name)
		f := d.Findings[0]
		if f.Rule != tc.rule || f.Object != tc.object || !strings.HasPrefix(f.Message, tc.message) || !strings.HasPrefix(f.Evidence, tc.evidence) {
			t.Errorf("%s: first finding = %+v (all: %s), want %s on %s: %q, evidence %q", tc.name, f, rules(d), tc.rule, tc.object, tc.message, tc.evidence)
		}
	}
}
