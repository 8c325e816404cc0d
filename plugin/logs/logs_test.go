package logs_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/logs"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

func TestMain(m *testing.M) { testcluster.Main(m) }

// A kustomize-controller log, oldest first, as the controller writes it.
const kustomizeLog = `{"level":"info","ts":"2026-03-02T09:40:00.000Z","logger":"setup","msg":"starting manager"}
{"level":"info","ts":"2026-03-02T09:41:12.345Z","msg":"server-side apply completed","controller":"kustomization","controllerGroup":"kustomize.toolkit.fluxcd.io","controllerKind":"Kustomization","Kustomization":{"name":"infrastructure","namespace":"flux-system"},"namespace":"flux-system","name":"infrastructure","reconcileID":"5f7c2a9e"}
{"level":"error","ts":"2026-03-02T09:41:13.001Z","msg":"Reconciler error","controller":"kustomization","controllerGroup":"kustomize.toolkit.fluxcd.io","controllerKind":"Kustomization","Kustomization":{"name":"apps","namespace":"flux-system"},"namespace":"flux-system","name":"apps","reconcileID":"0b6d9a4c","error":"kustomize build failed: accumulating resources"}
{"level":"info","ts":"2026-03-02T09:51:13.101Z","msg":"server-side apply completed","controller":"kustomization","controllerGroup":"kustomize.toolkit.fluxcd.io","controllerKind":"Kustomization","Kustomization":{"name":"apps","namespace":"flux-system"},"namespace":"flux-system","name":"apps","reconcileID":"7d1e2f3a"}
`

func pod(name, node string, labels map[string]string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "flux-system", Labels: labels},
		Spec: corev1.PodSpec{NodeName: node, Containers: []corev1.Container{
			{Name: "kube-rbac-proxy", Image: "example.invalid/proxy:v1"},
			{Name: "manager", Image: "example.invalid/fluxcd/" + labels["app"] + ":v1.9.6"},
		}},
	}
}

func run(t *testing.T, cache *cluster.Cache, o *logs.Options) (*logs.Result, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return operation.Execute(ctx, cache, o)
}

// The fetching path through client-go, on the fake clientset: which Pods are read, with which
// options, and how the fake's non-JSON "fake logs" body passes (only without filters).
func TestLogsPicksControllerPodsThroughClientGo(t *testing.T) {
	cs := fake.NewClientset(
		pod("kustomize-controller-7c9d", "node-1", map[string]string{"app": "kustomize-controller"}),
		pod("source-controller-5b8f", "node-1", map[string]string{"app.kubernetes.io/part-of": "flux", "app.kubernetes.io/component": "source-controller"}),
		pod("helm-controller-6d7e", "", map[string]string{"app": "helm-controller"}),
		pod("podinfo-1", "node-1", map[string]string{"app": "podinfo"}),
	)
	res, err := run(t, nil, &logs.Options{Source: logs.ClusterSource{Kube: cs}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.Pods, ",") != "flux-system/kustomize-controller-7c9d,flux-system/source-controller-5b8f" {
		t.Errorf("pods = %v", res.Pods)
	}
	if strings.Join(res.Unscheduled, ",") != "helm-controller-6d7e" {
		t.Errorf("unscheduled = %v", res.Unscheduled)
	}
	if len(res.Lines) != 2 || res.Lines[0].String() != "fake logs" || !res.Lines[0].Raw {
		t.Errorf("without filters the raw lines pass: %+v", res.Lines)
	}
	res, err = run(t, nil, &logs.Options{Source: logs.ClusterSource{Kube: cs}, Level: "error"})
	if err != nil || len(res.Lines) != 0 {
		t.Errorf("with a filter raw lines are dropped: %v %+v", err, res)
	}
	_, err = run(t, nil, &logs.Options{Source: logs.ClusterSource{Kube: cs}, FluxNamespace: "elsewhere"})
	var none *logs.NoControllersError
	if !errors.As(err, &none) || !strings.Contains(err.Error(), `no Flux controller pods found in namespace "elsewhere"`) {
		t.Errorf("err = %v", err)
	}
}

func TestLogsParsesFiltersAndLimits(t *testing.T) {
	cs := fake.NewClientset(pod("kustomize-controller-7c9d", "node-1", map[string]string{"app": "kustomize-controller"}))
	var mu sync.Mutex
	var asked []*corev1.PodLogOptions
	cs.PrependReactor("get", "pods", func(a k8stesting.Action) (bool, runtime.Object, error) {
		if a.GetSubresource() != "log" {
			return false, nil, nil
		}
		mu.Lock()
		defer mu.Unlock()
		asked = append(asked, a.(k8stesting.GenericAction).GetValue().(*corev1.PodLogOptions))
		return true, &runtime.Unknown{Raw: []byte(kustomizeLog)}, nil
	})
	src := logs.ClusterSource{Kube: cs}
	res, err := run(t, nil, &logs.Options{Source: src, Kind: "ks", Name: "apps", Namespace: "flux-system", Tail: 50})
	if err != nil {
		t.Fatal(err)
	}
	want := "2026-03-02T09:41:13.001Z error kustomize-controller Kustomization/flux-system/apps Reconciler error: kustomize build failed: accumulating resources\n" +
		"2026-03-02T09:51:13.101Z info kustomize-controller Kustomization/flux-system/apps server-side apply completed\n"
	if got := res.Text(); got != want {
		t.Errorf("text =\n%s\nwant\n%s", got, want)
	}
	if a := asked[0]; a.Container != "manager" || a.TailLines == nil || *a.TailLines != 50 || a.SinceSeconds != nil || a.Follow {
		t.Errorf("log options = %+v", a)
	}
	res, err = run(t, nil, &logs.Options{Source: src, Level: "info", Limit: 1})
	if err != nil || len(res.Lines) != 1 || res.Dropped != 2 || res.Lines[0].ReconcileID != "7d1e2f3a" {
		t.Errorf("level=info limit=1: %v %+v", err, res)
	}
	// The test lines are old: since=1h asks the server for an hour and keeps none of them.
	res, err = run(t, nil, &logs.Options{Source: src, Since: "1h"})
	if err != nil || len(res.Lines) != 0 || *asked[len(asked)-1].SinceSeconds != 3600 {
		t.Errorf("since=1h: %v %+v %+v", err, res, asked[len(asked)-1])
	}
}

func TestLogsRejectsBadFilters(t *testing.T) {
	src := logs.ClusterSource{Kube: fake.NewClientset()}
	for want, o := range map[string]*logs.Options{
		`unknown Flux kind "deployment"`: {Kind: "deployment"},
		`invalid log level "warn"`:       {Level: "warn"},
		`invalid since "yesterday"`:      {Since: "yesterday"},
		`must not be negative`:           {Tail: -1},
	} {
		o.Source = src
		if _, err := run(t, nil, o); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%+v: err = %v, want %q", o, err, want)
		}
	}
}

// pipeSource serves a live log through a pipe, as a followed stream is.
type pipeSource struct {
	logs.ClusterSource
	r *io.PipeReader
}

func (s pipeSource) Stream(context.Context, string, string, *corev1.PodLogOptions) (io.ReadCloser, error) {
	return s.r, nil
}

func TestLogsFollowEmitsLinesAsTheyArrive(t *testing.T) {
	r, w := io.Pipe()
	src := pipeSource{ClusterSource: logs.ClusterSource{Kube: fake.NewClientset(pod("kustomize-controller-7c9d", "node-1", map[string]string{"app": "kustomize-controller"}))}, r: r}
	got := make(chan logs.Line, 10)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := operation.Execute(ctx, nil, &logs.Options{Source: src, Follow: true, Level: "error", OnLine: func(l logs.Line) { got <- l }})
		done <- err
	}()
	for _, l := range strings.Split(strings.TrimSpace(kustomizeLog), "\n") {
		if _, err := io.WriteString(w, l+"\n"); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case l := <-got:
		if l.Name != "apps" || l.Level != "error" {
			t.Errorf("line = %+v", l)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no line while following")
	}
	cancel()
	_ = w.CloseWithError(context.Canceled)
	if err := <-done; err != nil {
		t.Fatalf("follow ended with %v, want a clean end on cancel", err)
	}
	if len(got) != 0 {
		t.Errorf("only the error line matches, got more: %+v", <-got)
	}
}

// Against the real API server: controller Pods on nodes without a kubelet. Fetching their logs
// fails at the server, and the reader gets one line that says so.
func TestLogsWithoutKubeletSayNotReachable(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "flux")
	ctx := context.Background()
	p := pod("kustomize-controller-7c9d", "ghost-node", map[string]string{"app": "kustomize-controller"})
	p.Namespace = ns
	if _, err := c.Kube.CoreV1().Pods(ns).Create(ctx, p, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	kc := c.Kubeconfig
	cache := testcluster.Cache(kc)
	_, err := run(t, cache, &logs.Options{FluxNamespace: ns})
	var ue *logs.UnreachableError
	want := `the logs of Flux controller pod ` + ns + `/kustomize-controller-7c9d are not reachable: the API server cannot fetch them from the kubelet of node "ghost-node" (the node is not registered with the API server)`
	if !errors.As(err, &ue) || err.Error() != want || strings.Contains(err.Error(), "\n") {
		t.Fatalf("err = %v\nwant %s", err, want)
	}

	// A registered node whose kubelet never reported an address.
	node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "silent-" + ns}}
	if _, err := c.Kube.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Kube.CoreV1().Nodes().Delete(ctx, node.Name, metav1.DeleteOptions{}) })
	ns2 := c.Namespace(t, "flux")
	p2 := pod("source-controller-5b8f", node.Name, map[string]string{"app": "source-controller"})
	p2.Namespace = ns2
	if _, err := c.Kube.CoreV1().Pods(ns2).Create(ctx, p2, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err = run(t, cache, &logs.Options{FluxNamespace: ns2, Kind: "gitrepository"})
	want = `the logs of Flux controller pod ` + ns2 + `/source-controller-5b8f are not reachable: the API server cannot fetch them from the kubelet of node "` + node.Name + `" (`
	if !errors.As(err, &ue) || !strings.HasPrefix(err.Error(), want) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("err = %v", err)
	}

	_, err = run(t, cache, &logs.Options{FluxNamespace: "default"})
	if err == nil || !strings.HasPrefix(err.Error(), `no Flux controller pods found in namespace "default"`) {
		t.Fatalf("err = %v", err)
	}
}
