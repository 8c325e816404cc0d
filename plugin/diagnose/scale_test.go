package diagnose_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/diagnose"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

// TestDiagnoseAllAtScale diagnoses about 1,000 Flux objects, a quarter of them failing, and checks
// from the API server's audit log that the reads are lists per kind and namespace, not one
// request per object.
func TestDiagnoseAllAtScale(t *testing.T) {
	c := testcluster.Separate(t, testcluster.Options{AuditLog: true})
	ctx := context.Background()
	const (
		namespaces = 10
		ksPerNS    = 80
		hrPerNS    = 20
		rev        = "main@sha1:5d7e1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f"
	)
	var objs [namespaces][]fixtures.Object
	for i := range namespaces {
		ns := fmt.Sprintf("scale-%02d", i)
		if _, err := c.Kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		objs[i] = append(objs[i], fixtures.Object{Plural: "gitrepositories", Manifest: fmt.Sprintf(`
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: fleet, namespace: %s}
spec: {interval: 1m, url: "https://git.example.internal/team/fleet", ref: {branch: main}}`, ns),
			Status: fixtures.Ready("True", "Succeeded", "stored artifact for revision '"+rev+"'", fixtures.Artifact(rev, "sha256:1a2b"))})
		for j := range ksPerNS {
			status := fixtures.Ready("True", "ReconciliationSucceeded", "Applied revision: "+rev, map[string]any{"lastAttemptedRevision": rev,
				"lastAppliedRevision": rev, "inventory": fixtures.Inventory(fixtures.Entry(ns, fmt.Sprintf("cm-%02d", j), "", "ConfigMap", "v1"))["inventory"]})
			if j%4 == 0 {
				status = fixtures.Ready("False", "BuildFailed", "kustomize build failed: missing resource ./app-"+fmt.Sprint(j), map[string]any{"lastAttemptedRevision": rev,
					"inventory": fixtures.Inventory(fixtures.Entry(ns, fmt.Sprintf("cm-%02d", j), "", "ConfigMap", "v1"))["inventory"]})
			}
			dep := ""
			if j > 0 {
				dep = fmt.Sprintf(", dependsOn: [{name: app-%02d}]", j-1)
			}
			objs[i] = append(objs[i], fixtures.Object{Plural: "kustomizations", Manifest: fmt.Sprintf(`
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: app-%02d, namespace: %s}
spec: {interval: 10m, path: ./app-%02d, prune: true, sourceRef: {kind: GitRepository, name: fleet}%s}`, j, ns, j, dep), Status: status})
		}
		for j := range hrPerNS {
			status := fixtures.Ready("True", "InstallSucceeded", "Helm install succeeded", nil)
			if j%4 == 0 {
				status = fixtures.Ready("False", "InstallFailed", "Helm install failed: timed out waiting for the condition", nil)
			}
			objs[i] = append(objs[i], fixtures.Object{Plural: "helmreleases", Manifest: fmt.Sprintf(`
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: rel-%02d, namespace: %s}
spec: {interval: 10m, chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: podinfo}}}}`, j, ns), Status: status})
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, namespaces)
	for i := range namespaces {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fixtures.CreateAll(ctx, c.Dynamic, objs[i])
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	before := len(c.AuditEvents(t))

	start := time.Now()
	res, err := operation.Execute(ctx, testcluster.Cache(c.Kubeconfig), &diagnose.Options{All: true, AllNamespaces: true})
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	want := namespaces * (1 + ksPerNS + hrPerNS)
	if res.Checked != want || len(res.Diagnoses) != namespaces*(ksPerNS/4+hrPerNS/4) {
		t.Errorf("checked %d (want %d), diagnosed %d", res.Checked, want, len(res.Diagnoses))
	}
	time.Sleep(time.Second) // the audit log is written asynchronously
	reads := map[string]int{}
	n := 0
	for _, e := range c.AuditEvents(t)[before:] {
		if e.Stage != "ResponseComplete" || e.ObjectRef == nil || (e.Verb != "get" && e.Verb != "list") {
			continue
		}
		n++
		reads[e.Verb+" "+e.ObjectRef.Resource]++
	}
	var lines []string
	for k, v := range reads {
		lines = append(lines, fmt.Sprintf("%s=%d", k, v))
	}
	sort.Strings(lines)
	t.Logf("diagnose --all -A over %d objects (%d not Ready): %s, %d reads: %s", want, len(res.Diagnoses), took.Round(time.Millisecond), n, strings.Join(lines, " "))
	// Lists per kind (and per namespace for events and Helm release secrets), never one request
	// per object: before trees were built together and ancestors read from the index, this was
	// 1,026 reads, 750 of them GETs.
	gets := 0
	for k, v := range reads {
		if strings.HasPrefix(k, "get ") {
			gets += v
		}
	}
	if gets > 0 || n > 3*namespaces+20 {
		t.Errorf("%d reads (%d GETs) for %d objects: not lists per kind", n, gets, want)
	}
}
