package check_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/check"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
)

func TestMain(m *testing.M) { testcluster.Main(m) }

func run(t *testing.T, cache *cluster.Cache, o *check.Options) *check.Result {
	t.Helper()
	res, err := testcluster.Run[*check.Result](t, cache, o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func byName(r *check.Result) map[string]check.Check {
	m := map[string]check.Check{}
	for _, c := range r.Checks {
		m[c.Name] = c
	}
	return m
}

// ControllerDeployment is a Flux controller as the install manifests define it, with a neutral
// registry host.
func ControllerDeployment(ns, name, tag string) *appsv1.Deployment {
	labels := map[string]string{"app": name}
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, Labels: map[string]string{"app.kubernetes.io/part-of": "flux", "app.kubernetes.io/component": name}},
		Spec: appsv1.DeploymentSpec{
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "manager", Image: "example.invalid/fluxcd/" + name + ":" + tag}}},
			},
		},
	}
}

func TestCheckWithoutControllersFails(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "flux")
	res := run(t, testcluster.Cache(c.Kubeconfig), &check.Options{FluxNamespace: ns})
	got := byName(res)
	if k := got["kubernetes"]; k.Status != check.OK || !strings.HasPrefix(k.Message, "v1.37.") || !strings.HasSuffix(k.Message, ">= 1.33.0") {
		t.Errorf("kubernetes = %+v", k)
	}
	if k := got["crds"]; k.Status != check.OK || !strings.HasSuffix(k.Message, "Flux CRDs installed") {
		t.Errorf("crds = %+v", k)
	}
	if k := got["kustomizations.kustomize.toolkit.fluxcd.io"]; k.Status != check.OK || !strings.HasPrefix(k.Message, "served v1") || !strings.HasSuffix(k.Message, "; storage v1") {
		t.Errorf("kustomizations CRD = %+v", k)
	}
	want := `no Flux controllers found in namespace "` + ns + `" (Deployments labelled app.kubernetes.io/part-of=flux or named source-controller, kustomize-controller, helm-controller, notification-controller, image-reflector-controller, image-automation-controller); install Flux or set the Flux namespace`
	if k := got["controllers"]; k.Status != check.Fail || k.Message != want {
		t.Errorf("controllers = %+v\nwant %s", k, want)
	}
	if res.Failed != 1 || res.Summary() != "1 of "+strconv.Itoa(len(res.Checks))+" checks failed: controllers" {
		t.Errorf("failed = %d, summary %q", res.Failed, res.Summary())
	}
	var crd check.CRD
	for _, x := range res.CRDs {
		if x.Kind == "HelmRelease" {
			crd = x
		}
	}
	if crd.Storage != "v2" || !crd.Established || len(res.CRDs) < 17 {
		t.Errorf("HelmRelease CRD = %+v (of %d)", crd, len(res.CRDs))
	}
}

func TestCheckController(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "flux")
	ctx := context.Background()
	d, err := c.Kube.AppsV1().Deployments(ns).Create(ctx, ControllerDeployment(ns, "kustomize-controller", "v1.9.6"), metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cache := testcluster.Cache(c.Kubeconfig)
	// No controller-manager runs: nothing is available until the test writes the status.
	got := byName(run(t, cache, &check.Options{FluxNamespace: ns}))
	if k := got["kustomize-controller"]; k.Status != check.Fail || k.Message != "not ready: v1.9.6 (example.invalid/fluxcd/kustomize-controller:v1.9.6), 0/1 replicas available" {
		t.Errorf("unavailable controller = %+v", k)
	}
	d.Status = appsv1.DeploymentStatus{ObservedGeneration: d.Generation, Replicas: 1, ReadyReplicas: 1, AvailableReplicas: 1, UpdatedReplicas: 1}
	if _, err := c.Kube.AppsV1().Deployments(ns).UpdateStatus(ctx, d, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	res := run(t, cache, &check.Options{FluxNamespace: ns})
	got = byName(res)
	if k := got["kustomize-controller"]; k.Status != check.OK || k.Message != "v1.9.6 (example.invalid/fluxcd/kustomize-controller:v1.9.6), 1/1 replicas available" {
		t.Errorf("controller = %+v", k)
	}
	if k := got["controllers"]; k.Status != check.Warn || k.Message != "found kustomize-controller; missing source-controller, helm-controller, notification-controller" {
		t.Errorf("controllers = %+v", k)
	}
	if res.Failed != 0 || len(res.Controllers) != 1 || res.Controllers[0].Version != "v1.9.6" {
		t.Errorf("failed = %d, controllers = %+v", res.Failed, res.Controllers)
	}
}

func TestCheckFluxInstance(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "flux")
	obj := c.Create(t, fixtures.Object{Plural: "fluxinstances", Manifest: `
apiVersion: fluxcd.controlplane.io/v1
kind: FluxInstance
metadata: {name: flux, namespace: ` + ns + `}
spec: {distribution: {version: "2.9.x", registry: example.invalid/fluxcd}}`,
		Status: fixtures.Ready("False", "ReconciliationFailed", "failed to pull distribution artifact", map[string]any{"lastAppliedRevision": "v2.9.5@sha256:1a2b"})})
	t.Cleanup(func() {
		_ = c.Dynamic.Resource(obj.GroupVersionKind().GroupVersion().WithResource("fluxinstances")).Namespace(ns).Delete(context.Background(), "flux", metav1.DeleteOptions{})
	})
	got := byName(run(t, testcluster.Cache(c.Kubeconfig), &check.Options{FluxNamespace: ns}))
	k := got["fluxinstance "+ns+"/flux"]
	if k.Status != check.Fail || k.Message != "revision v2.9.5@sha256:1a2b; ReconciliationFailed: failed to pull distribution artifact" {
		t.Errorf("fluxinstance = %+v", k)
	}
}

func TestCheckForbiddenFailsEachCheckWithTheServersMessage(t *testing.T) {
	c := testcluster.Get(t)
	res := run(t, testcluster.Cache(c.AddUser(t, "nobody")), &check.Options{})
	got := byName(res)
	if k := got["kubernetes"]; k.Status != check.OK {
		t.Errorf("the version is public: %+v", k)
	}
	if k := got["crds"]; k.Status != check.Fail || !strings.Contains(k.Message, `User "nobody" cannot list resource "customresourcedefinitions"`) {
		t.Errorf("crds = %+v", k)
	}
	if k := got["controllers"]; k.Status != check.Fail || !strings.Contains(k.Message, `cannot list resource "deployments" in API group "apps" in the namespace "flux-system"`) {
		t.Errorf("controllers = %+v", k)
	}
	if k := got["fluxinstances"]; k.Status != check.Fail {
		t.Errorf("fluxinstances = %+v", k)
	}
}
