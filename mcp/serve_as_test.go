package mcp_test

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/mcptest"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

// The kubectl flag --as works on serve: every tool acts as that user, allowed what the user is
// allowed and refused the rest with the server's 403 naming the user.
func TestServeAsImpersonates(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "serve-as")
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	user := "kfm-as-" + ns
	c.Grant(t, user, ns, rbacv1.PolicyRule{APIGroups: []string{"kustomize.toolkit.fluxcd.io"}, Resources: []string{"kustomizations"}, Verbs: []string{"get", "list"}})
	cl := stdioClient(t, c, "serve", "--as", user)
	if res := call(t, cl, "get_flux_resources", map[string]any{"kind": "ks", "namespace": ns}); res.IsError || !strings.Contains(text(res), "kustomization/apps") {
		t.Errorf("granted namespace: isError=%v %q", res.IsError, text(res))
	}
	res := call(t, cl, "get_flux_resources", map[string]any{"kind": "ks", "namespace": "default"})
	if want := `User "` + user + `" cannot list resource "kustomizations"`; !res.IsError || !strings.Contains(text(res), want) {
		t.Errorf("other namespace: isError=%v %q, want the 403 %q", res.IsError, text(res), want)
	}
}

// --as and --kube-as say the same thing: given both, serve refuses to start rather than pick one.
// A kubeconfig that impersonates another user than --kube-as is refused on the first call.
func TestServeImpersonationConflicts(t *testing.T) {
	c := testcluster.Get(t)
	cmd := exec.Command(testcluster.PluginBinary(t), "serve", "--kubeconfig", c.Kubeconfig, "--as", "alice", "--kube-as", "bob")
	var out, errOut bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(""), &out, &errOut
	err := cmd.Run()
	want := `error: --as "alice" and --kube-as "bob" both name the user to impersonate: give one`
	if err == nil || out.Len() != 0 || strings.Count(errOut.String(), "\n") != 1 || !strings.HasPrefix(errOut.String(), want) {
		t.Errorf("serve --as --kube-as: err=%v stdout=%q stderr=%q, want one line %q", err, out.String(), errOut.String(), want)
	}

	cfg, err := clientcmd.LoadFromFile(c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	for _, ai := range cfg.AuthInfos {
		ai.Impersonate = "alice"
	}
	kc := filepath.Join(t.TempDir(), "kubeconfig")
	if err := clientcmd.WriteToFile(*cfg, kc); err != nil {
		t.Fatal(err)
	}
	cl, _ := mcptest.Serve(t, testcluster.PluginBinary(t), kc, "serve", "--kube-as", "bob")
	res := call(t, cl, "get_flux_resources", map[string]any{"kind": "ks", "namespace": "default"})
	if want := `--kube-as "bob" and the kubeconfig's impersonation (as: "alice") name different users: give one`; !res.IsError || text(res) != want {
		t.Errorf("kubeconfig as + --kube-as: isError=%v %q, want %q", res.IsError, text(res), want)
	}
	// The same user in both is no conflict.
	cl, _ = mcptest.Serve(t, testcluster.PluginBinary(t), kc, "serve", "--kube-as", "alice")
	res = call(t, cl, "get_flux_resources", map[string]any{"kind": "ks", "namespace": "default"})
	if !res.IsError || !strings.Contains(text(res), `User "alice" cannot list`) {
		t.Errorf("kubeconfig as = --kube-as: isError=%v %q, want alice's 403", res.IsError, text(res))
	}
}
