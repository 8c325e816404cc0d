package logs

import (
	"context"
	"io"
	"sort"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
)

// Source reads the Flux controller Pods and their logs. The cluster is the only real one; tests
// swap in a source that returns controller output, since a test API server has no kubelet.
type Source interface {
	ListPods(ctx context.Context, namespace string) ([]corev1.Pod, error)
	Stream(ctx context.Context, namespace, pod string, opts *corev1.PodLogOptions) (io.ReadCloser, error)
}

// ClusterSource reads Pods and logs through the Kubernetes API (pods/log goes via the kubelet).
type ClusterSource struct{ Kube cluster.Kube }

// ListPods lists every Pod of the namespace in one call; the controllers are picked in memory,
// because a label selector cannot say "part-of=flux OR app in (…)".
func (s ClusterSource) ListPods(ctx context.Context, namespace string) ([]corev1.Pod, error) {
	list, err := s.Kube.CoreV1().Pods(namespace).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	return list.Items, nil
}

// Stream opens the log stream of one container.
func (s ClusterSource) Stream(ctx context.Context, namespace, pod string, opts *corev1.PodLogOptions) (io.ReadCloser, error) {
	return s.Kube.CoreV1().Pods(namespace).GetLogs(pod, opts).Stream(ctx)
}

// controllerPod is a Flux controller Pod and the name it is shown by.
type controllerPod struct {
	pod        corev1.Pod
	controller string
	container  string
}

// fluxPods keeps the Pods that belong to Flux: part-of=flux, or an app label naming a controller.
func fluxPods(pods []corev1.Pod) []controllerPod {
	var out []controllerPod
	for _, p := range pods {
		app := p.Labels["app"]
		if p.Labels[fluxkinds.PartOfLabel] != fluxkinds.PartOfFlux && !fluxkinds.IsController(app) {
			continue
		}
		name := app
		for _, l := range []string{"app.kubernetes.io/component", "app.kubernetes.io/name"} {
			if name == "" {
				name = p.Labels[l]
			}
		}
		if name == "" {
			name = p.Name
		}
		out = append(out, controllerPod{pod: p, controller: name, container: container(p)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].pod.Name < out[j].pod.Name })
	return out
}

// container picks the controller's container: the only one, else "manager" (the name every Flux
// controller uses), else the first.
func container(p corev1.Pod) string {
	if len(p.Spec.Containers) == 0 {
		return ""
	}
	for _, c := range p.Spec.Containers {
		if c.Name == "manager" {
			return c.Name
		}
	}
	return p.Spec.Containers[0].Name
}
