package cmd_test

import (
	"context"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

// controllerPod creates a Flux controller Pod bound to a node that has no kubelet.
func controllerPod(t *testing.T, c *testcluster.Cluster, ns, app string) {
	t.Helper()
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: app + "-7c9d", Namespace: ns, Labels: map[string]string{"app": app}},
		Spec: corev1.PodSpec{NodeName: "ghost-node", Containers: []corev1.Container{
			{Name: "manager", Image: "example.invalid/fluxcd/" + app + ":v1.9.6"}}},
	}
	if _, err := c.Kube.CoreV1().Pods(ns).Create(context.Background(), p, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
}

func TestLogsWithoutKubeletIsOneClearError(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "flux")
	controllerPod(t, c, ns, "kustomize-controller")
	out, stderr, err := runCLI("logs", "--flux-namespace", ns, "--kind", "ks", "--level", "error", "--since", "1h", "--kubeconfig", c.Kubeconfig)
	want := "the logs of Flux controller pod " + ns + "/kustomize-controller-7c9d are not reachable: the API server cannot fetch them from the kubelet of node \"ghost-node\" (the node is not registered with the API server)"
	if err == nil || err.Error() != want || out != "" || stderr != "" {
		t.Fatalf("err = %v\nwant %s\nstdout %q stderr %q", err, want, out, stderr)
	}
}

func TestLogsBadInput(t *testing.T) {
	c := testcluster.Get(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"logs", "--flux-namespace", "default"}, `no Flux controller pods found in namespace "default"`},
		{[]string{"logs", "--level", "warn"}, `invalid log level "warn": use info, error or debug`},
		{[]string{"logs", "--kind", "pods"}, `unknown Flux kind "pods"`},
		{[]string{"logs", "-f", "-o", "json"}, "-f prints lines as they come and cannot be combined with -o json"},
		{[]string{"logs", "extra"}, `unknown command "extra"`},
	} {
		_, stderr, err := runCLI(append(tc.args, "--kubeconfig", c.Kubeconfig)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) || stderr != "" {
			t.Errorf("%v: err = %v, stderr %q, want %q", tc.args, err, stderr, tc.want)
		}
	}
}
