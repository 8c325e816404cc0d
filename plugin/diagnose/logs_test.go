package diagnose_test

import (
	"context"
	"io"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/diagnose"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

// controllerLogs serves one kustomize-controller Pod and its log, as a kubelet would: the test API
// server has none.
type controllerLogs struct{ log string }

func (s controllerLogs) ListPods(_ context.Context, namespace string) ([]corev1.Pod, error) {
	return []corev1.Pod{{
		ObjectMeta: metav1.ObjectMeta{Name: "kustomize-controller-7c9d", Namespace: namespace, Labels: map[string]string{"app": "kustomize-controller"}},
		Spec:       corev1.PodSpec{NodeName: "node-1", Containers: []corev1.Container{{Name: "manager"}}},
	}}, nil
}

func (s controllerLogs) Stream(context.Context, string, string, *corev1.PodLogOptions) (io.ReadCloser, error) {
	return io.NopCloser(strings.NewReader(s.log)), nil
}

// TestDiagnoseReadsControllerLogs: the controller's error lines about the object are evidence;
// lines about other objects, and info lines, are not.
func TestDiagnoseReadsControllerLogs(t *testing.T) {
	c, ns := sample(t)
	line := func(level, name, msg, errText string) string {
		return `{"level":"` + level + `","ts":"2026-03-02T09:41:13.001Z","msg":"` + msg + `","controller":"kustomization","controllerGroup":"kustomize.toolkit.fluxcd.io","controllerKind":"Kustomization","Kustomization":{"name":"` + name + `","namespace":"` + ns + `"},"namespace":"` + ns + `","name":"` + name + `","reconcileID":"0b6d9a4c","error":"` + errText + `"}` + "\n"
	}
	log := line("info", "frontend", "server-side apply completed", "") +
		line("error", "apps", "Reconciler error", "dependency not ready") +
		line("error", "frontend", "Reconciler error", "Source artifact not found")
	res, err := operation.Execute(context.Background(), testcluster.Cache(c.Kubeconfig),
		&diagnose.Options{Kind: "ks", Name: "frontend", Namespace: ns, LogSource: controllerLogs{log: log}})
	if err != nil {
		t.Fatal(err)
	}
	d := res.Diagnoses[0]
	var got []diagnose.Finding
	for _, f := range d.Findings {
		if f.Rule == "controller-log" {
			got = append(got, f)
		}
		if f.Rule == "logs-unavailable" {
			t.Errorf("logs were read, yet: %+v", f)
		}
	}
	if len(got) != 1 || got[0].Object != "Kustomization/"+ns+"/frontend" || got[0].Message != "Reconciler error: Source artifact not found" ||
		got[0].Evidence != "kustomize-controller log kustomize-controller-7c9d 2026-03-02T09:41:13.001Z" {
		t.Fatalf("controller-log findings = %+v (all: %s)", got, rules(d))
	}
	if !strings.Contains(res.Text(), "warning controller-log: Reconciler error: Source artifact not found\n   evidence: kustomize-controller log") {
		t.Errorf("text:\n%s", res.Text())
	}
}
