package diagnose_test

import (
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

func warningEvent(t *testing.T, c *testcluster.Cluster, ns, kind, apiVersion, name, reason, message string) {
	t.Helper()
	now := time.Now()
	ev := &corev1.Event{
		ObjectMeta:     metav1.ObjectMeta{Name: name + ".1", Namespace: ns},
		InvolvedObject: corev1.ObjectReference{Kind: kind, APIVersion: apiVersion, Name: name, Namespace: ns},
		Type:           "Warning", Reason: reason, Message: message, Count: 2,
		FirstTimestamp: metav1.NewTime(now.Add(-time.Hour)), LastTimestamp: metav1.NewTime(now.Add(-time.Minute)),
	}
	if _, err := c.Kube.CoreV1().Events(ns).Create(context.Background(), ev, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// TestDiagnoseReadsEventsOfAppliedObjectsAndAncestors: the Warning events of a failing applied
// object and of a suspended ancestor are evidence too.
func TestDiagnoseReadsEventsOfAppliedObjectsAndAncestors(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "diag-events")
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.DiagnoseRulesSample(ns)); err != nil {
		t.Fatal(err)
	}
	warningEvent(t, c, ns, "HelmRelease", "helm.toolkit.fluxcd.io/v2", "db", "InstallFailed", "Helm install failed: context deadline exceeded")
	d := one(t, c.Kubeconfig, ns, "ks", "platform")
	if f := find(t, d, "warning-event"); f.Object != "HelmRelease/"+ns+"/db" || f.Message != "InstallFailed: Helm install failed: context deadline exceeded" || !strings.Contains(f.Evidence, "Warning event InstallFailed x2") {
		t.Errorf("applied object's event = %+v", f)
	}

	_, ns2 := sample(t)
	warningEvent(t, c, ns2, "Kustomization", "kustomize.toolkit.fluxcd.io/v1", "parent", "ReconciliationFailed", "suspended with a pending change")
	d = one(t, c.Kubeconfig, ns2, "ks", "child")
	if f := find(t, d, "warning-event"); f.Object != "Kustomization/"+ns2+"/parent" || f.Message != "ReconciliationFailed: suspended with a pending change" {
		t.Errorf("ancestor's event = %+v", f)
	}
}
