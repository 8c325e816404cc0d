package mcp_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	mcpgo "github.com/mark3labs/mcp-go/mcp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/mcp"
)

// The confirmation names exactly where a call acts: the context, the namespace the tool will
// use (the context's when the call names none), and no namespace for cluster-scoped kinds.
func TestConfirmationSaysWhere(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "where")
	ctx := context.Background()
	if err := fixtures.CreateAll(ctx, c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	// The context's own namespace is ns, not "default".
	cfg, err := clientcmd.LoadFromFile(c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Contexts[cfg.CurrentContext].Namespace = ns
	kc := filepath.Join(t.TempDir(), "kubeconfig")
	if err := clientcmd.WriteToFile(*cfg, kc); err != nil {
		t.Fatal(err)
	}
	e := &elicitor{action: mcpgo.ElicitationResponseActionDecline}
	cl, err := client.NewInProcessClientWithOptions(mcp.NewServer(testcluster.Cache(kc), mcp.Options{MaskSecrets: true, Confirm: mcp.ConfirmDestructive}), client.WithElicitationHandler(e))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.Close() })
	if err := cl.Start(ctx); err != nil {
		t.Fatal(err)
	}
	legacyInit(t, cl)

	manifest := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\n"
	for _, cc := range []struct {
		tool string
		args map[string]any
		want string
	}{
		{"delete_kubernetes_resource", map[string]any{"kind": "configmap", "name": "a"}, `Delete configmap "a" in namespace ` + ns + ` of context envtest.`},
		{"delete_kubernetes_resource", map[string]any{"kind": "namespace", "name": ns}, `Delete namespace "` + ns + `" in context envtest.`},
		{"delete_kubernetes_resource", map[string]any{"kind": "ks", "name": "apps", "context": "envtest", "namespace": ns}, `Delete ks "apps" in namespace ` + ns + ` of context envtest.`},
		{"patch_kubernetes_resource", map[string]any{"kind": "clusterroles", "name": "r", "patch": `{"rules":[]}`}, `Patch clusterroles "r" in context envtest with this merge patch:`},
		{"apply_kubernetes_manifest", map[string]any{"manifest": manifest}, `Server-side apply in context envtest of: ConfigMap ` + ns + `/a, ClusterRole r.`},
		{"suspend_flux_resource", map[string]any{"kind": "ks", "all": true}, `Suspend every ks in namespace ` + ns + ` of context envtest:`},
	} {
		e.asked = nil
		res := call(t, cl, cc.tool, cc.args)
		if !res.IsError || len(e.asked) != 1 || !strings.HasPrefix(e.asked[0], cc.want) {
			t.Errorf("%s %v: isError=%v asked %q, want it to start with %q", cc.tool, cc.args, res.IsError, e.asked, cc.want)
		}
	}
	// Declined: the namespace and its objects are all still there.
	if _, err := c.Kube.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{}); err != nil {
		t.Errorf("after the declined namespace delete: %v", err)
	}
	if obj, err := c.Dynamic.Resource(ksGVR).Namespace(ns).Get(ctx, "apps", metav1.GetOptions{}); err != nil || obj.Object["spec"].(map[string]any)["suspend"] == true {
		t.Errorf("after the declined delete and suspend of apps: %v", err)
	}
}
