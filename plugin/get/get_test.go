package get_test

import (
	"context"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/cli-runtime/pkg/genericclioptions"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/get"
)

func TestMain(m *testing.M) { testcluster.Main(m) }

func sampleNamespace(t *testing.T, c *testcluster.Cluster) string {
	t.Helper()
	ns := c.Namespace(t, "get")
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	return ns
}

func run(t *testing.T, cache *cluster.Cache, o *get.Options) (*get.Result, error) {
	t.Helper()
	return testcluster.Run[*get.Result](t, cache, o)
}

func TestGetKustomizationsReadsStatus(t *testing.T) {
	c := testcluster.Get(t)
	ns := sampleNamespace(t, c)
	res, err := run(t, testcluster.Cache(c.Kubeconfig), &get.Options{Kind: "ks", Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	byName := map[string]get.Item{}
	for _, it := range res.Items {
		names = append(names, it.Name)
		byName[it.Name] = it
	}
	if strings.Join(names, ",") != "apps,infrastructure,monitoring" {
		t.Fatalf("names = %v, want apps,infrastructure,monitoring (sorted)", names)
	}
	apps := byName["apps"]
	if apps.Ready != "False" || apps.Reason != "BuildFailed" || !strings.Contains(apps.Message, "kustomize build failed") {
		t.Errorf("apps = %+v, want Ready=False BuildFailed with the controller's message", apps)
	}
	if apps.Source != "GitRepository/"+ns+"/flux-system" {
		t.Errorf("apps source = %q", apps.Source)
	}
	infra := byName["infrastructure"]
	if infra.Ready != "True" || !strings.HasPrefix(infra.Revision, "main@sha1:8b2f1c4e") || infra.Suspended {
		t.Errorf("infrastructure = %+v, want ready at main@sha1:8b2f1c4e…", infra)
	}
	if !byName["monitoring"].Suspended {
		t.Errorf("monitoring should be suspended")
	}
	if res.Items[0].Object() == nil || res.Items[0].Object().GetUID() == "" {
		t.Errorf("items should carry the object as read")
	}
}

func TestGetAllWithStatusSelectorFindsEveryFailure(t *testing.T) {
	c := testcluster.Get(t)
	ns := sampleNamespace(t, c)
	res, err := run(t, testcluster.Cache(c.Kubeconfig), &get.Options{Kind: "all", Namespace: ns, StatusSelector: "ready=false"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range res.Items {
		got = append(got, it.Kind+"/"+it.Name)
	}
	want := "Kustomization/apps,HelmRelease/redis,OCIRepository/manifests"
	if strings.Join(got, ",") != want {
		t.Fatalf("failing objects = %v, want %s (in kind order)", got, want)
	}
	text := res.Text()
	if !strings.Contains(text, "kustomization/apps") || !strings.Contains(text, "BuildFailed") && !strings.Contains(text, "kustomize build failed") {
		t.Errorf("text rendering lacks the failing Kustomization:\n%s", text)
	}
}

func TestGetByNameAndAcrossNamespaces(t *testing.T) {
	c := testcluster.Get(t)
	ns1, ns2 := sampleNamespace(t, c), sampleNamespace(t, c)
	cache := testcluster.Cache(c.Kubeconfig)
	res, err := run(t, cache, &get.Options{Kind: "HelmRelease", Names: []string{"podinfo"}, Namespace: ns1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 1 || res.Items[0].Revision != "6.7.1" || res.Items[0].Namespace != ns1 {
		t.Fatalf("items = %+v", res.Items)
	}
	_, err = run(t, cache, &get.Options{Kind: "hr", Names: []string{"nope"}, Namespace: ns1})
	if err == nil || !strings.Contains(err.Error(), `HelmRelease "nope" not found in namespace "`+ns1+`"; HelmRelease objects there: podinfo, redis`) {
		t.Fatalf("err = %v, want not found", err)
	}
	res, err = run(t, cache, &get.Options{Kind: "gitrepo", AllNamespaces: true})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, it := range res.Items {
		seen[it.Namespace] = true
	}
	if !seen[ns1] || !seen[ns2] {
		t.Fatalf("all namespaces missed one: %v", seen)
	}
}

func TestGetRejectsBadInputBeforeAnyRequest(t *testing.T) {
	c := testcluster.Get(t)
	cache := testcluster.Cache(c.Kubeconfig)
	cases := map[string]*get.Options{
		"unknown Flux kind":       {Kind: "deployment"},
		"invalid label selector":  {Kind: "ks", LabelSelector: "a in (b"},
		"invalid status selector": {Kind: "ks", StatusSelector: "ready"},
		"names cannot be given":   {Kind: "all", Names: []string{"x"}},
		"across all namespaces":   {Kind: "ks", Names: []string{"x"}, AllNamespaces: true},
	}
	for want, o := range cases {
		if _, err := run(t, cache, o); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%+v: err = %v, want it to say %q", o, err, want)
		}
	}
}

func TestGetForbiddenShowsTheServersMessage(t *testing.T) {
	c := testcluster.Get(t)
	kc := c.AddUser(t, "nobody")
	_, err := run(t, testcluster.Cache(kc), &get.Options{Kind: "ks", Namespace: "default"})
	if !apierrors.IsForbidden(err) || !strings.Contains(err.Error(), `User "nobody" cannot list resource "kustomizations"`) {
		t.Fatalf("err = %v, want the 403 message", err)
	}
}

func TestGetUnreachableServer(t *testing.T) {
	testcluster.Get(t)
	flags := genericclioptions.NewConfigFlags(false)
	server, insecure := "https://127.0.0.1:1", true
	flags.APIServer, flags.Insecure = &server, &insecure
	_, err := run(t, cluster.NewCache(flags), &get.Options{Kind: "ks", Namespace: "default"})
	if err == nil || !strings.Contains(err.Error(), "cannot reach the Kubernetes API server at https://127.0.0.1:1: connection refused") {
		t.Fatalf("err = %v", err)
	}
}

// Runs last in this package: it removes a CRD from the shared cluster.
func TestGetAllSkipsKindsThatAreNotInstalled(t *testing.T) {
	c := testcluster.Get(t)
	crds := schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}
	ctx := context.Background()
	if err := c.Dynamic.Resource(crds).Delete(ctx, "fluxreports.fluxcd.controlplane.io", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	cache := testcluster.Cache(c.Kubeconfig)
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, err := run(t, cache, &get.Options{Kind: "all", AllNamespaces: true})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(res.NotInstalled, ",") == "FluxReport" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("notInstalled = %v, want [FluxReport]", res.NotInstalled)
		}
		time.Sleep(200 * time.Millisecond)
	}
	_, err := run(t, cache, &get.Options{Kind: "fluxreport", Namespace: "default"})
	if err == nil || !strings.Contains(err.Error(), "the CRD fluxreports.fluxcd.controlplane.io is not installed") {
		t.Fatalf("err = %v", err)
	}
}

func TestGetRejectsANamespaceThatCannotExist(t *testing.T) {
	c := testcluster.Get(t)
	_, err := run(t, testcluster.Cache(c.Kubeconfig), &get.Options{Kind: "ks", Namespace: "Bad_NS!"})
	if err == nil || !strings.Contains(err.Error(), `invalid namespace "Bad_NS!"`) {
		t.Fatalf("err = %v", err)
	}
}
