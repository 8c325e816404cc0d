package cmd_test

import (
	"context"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestCheckFailsWithoutControllersAndPassesWithThem(t *testing.T) {
	c, _ := sample(t)
	ns := c.Namespace(t, "flux")
	out, stderr, err := runCLI("check", "--flux-namespace", ns, "--kubeconfig", c.Kubeconfig)
	if err == nil || !strings.HasSuffix(err.Error(), "checks failed: controllers") || stderr != "" {
		t.Fatalf("err = %v, stderr %q", err, stderr)
	}
	if !strings.Contains(out, "controllers ") || !strings.Contains(out, " fail ") || !strings.Contains(out, `no Flux controllers found in namespace "`+ns+`"`) {
		t.Errorf("table lacks the failed check:\n%s", out)
	}

	ctx := context.Background()
	labels := map[string]string{"app": "kustomize-controller"}
	d, err := c.Kube.AppsV1().Deployments(ns).Create(ctx, &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "kustomize-controller", Namespace: ns, Labels: map[string]string{"app.kubernetes.io/part-of": "flux"}},
		Spec: appsv1.DeploymentSpec{
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "manager", Image: "example.invalid/fluxcd/kustomize-controller:v1.9.6"}}}},
		},
	}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Play the deployment controller: one replica available.
	d.Status = appsv1.DeploymentStatus{ObservedGeneration: d.Generation, Replicas: 1, ReadyReplicas: 1, AvailableReplicas: 1, UpdatedReplicas: 1}
	if _, err := c.Kube.AppsV1().Deployments(ns).UpdateStatus(ctx, d, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	out, _, err = runCLI("check", "--flux-namespace", ns, "--kubeconfig", c.Kubeconfig)
	if err != nil {
		t.Fatalf("err = %v\n%s", err, out)
	}
	var row string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "kustomize-controller ") {
			row = strings.Join(strings.Fields(l), " ")
		}
	}
	if row != "kustomize-controller ok v1.9.6 (example.invalid/fluxcd/kustomize-controller:v1.9.6), 1/1 replicas available" ||
		!strings.HasSuffix(out, "all checks passed (1 warnings)\n") {
		t.Errorf("row %q\n%s", row, out)
	}
	out, _, err = runCLI("check", "--flux-namespace", ns, "-o", "yaml", "--kubeconfig", c.Kubeconfig)
	if err != nil || !strings.Contains(out, "failed: 0") || !strings.Contains(out, "version: v1.9.6") {
		t.Errorf("-o yaml: %v\n%s", err, out)
	}
}
