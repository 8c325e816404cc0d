package mcp_test

import (
	"context"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

func TestStdioGetFluxLogsWithoutKubelet(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "flux")
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "helm-controller-6d7e", Namespace: ns, Labels: map[string]string{"app.kubernetes.io/part-of": "flux", "app": "helm-controller"}},
		Spec: corev1.PodSpec{NodeName: "ghost-node", Containers: []corev1.Container{
			{Name: "manager", Image: "example.invalid/fluxcd/helm-controller:v1.6.5"}}},
	}
	if _, err := c.Kube.CoreV1().Pods(ns).Create(context.Background(), p, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	cl := stdioClient(t, c, "serve")
	res := call(t, cl, "get_flux_logs", map[string]any{"flux_namespace": ns, "kind": "hr", "level": "error"})
	want := "the logs of Flux controller pod " + ns + "/helm-controller-6d7e are not reachable: the API server cannot fetch them from the kubelet of node \"ghost-node\" (the node is not registered with the API server)"
	if !res.IsError || text(res) != want {
		t.Fatalf("isError=%v text=%q\nwant %q", res.IsError, text(res), want)
	}
	for want, args := range map[string]map[string]any{
		`no Flux controller pods found in namespace "flux-system"`: {},
		`invalid since "soon"`: {"flux_namespace": ns, "since": "soon"},
	} {
		res := call(t, cl, "get_flux_logs", args)
		if !res.IsError || !strings.Contains(text(res), want) {
			t.Errorf("%v: isError=%v text=%q, want %q", args, res.IsError, text(res), want)
		}
	}
}
