package mcp_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/mcp"
)

// Canary values: none of them, nor their base64 forms, may appear in a masked result.
const (
	canaryData    = "canary-data-7f3a"
	canaryApplied = "canary-applied-9c1d"
	canaryString  = "canary-string-2b8e"
	canaryURLPass = "canary-url-pass-5e6f"
)

var canaries = []string{canaryData, canaryApplied, canaryString, canaryURLPass,
	base64.StdEncoding.EncodeToString([]byte(canaryData)), base64.StdEncoding.EncodeToString([]byte(canaryString))}

func secretFixtures(t *testing.T, c *testcluster.Cluster) string {
	t.Helper()
	ns := c.Namespace(t, "mask")
	s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "creds", Namespace: ns,
		Annotations: map[string]string{"kubectl.kubernetes.io/last-applied-configuration": `{"stringData":{"password":"` + canaryApplied + `"}}`}},
		Data: map[string][]byte{"password": []byte(canaryData)}}
	if _, err := c.Kube.CoreV1().Secrets(ns).Create(context.Background(), s, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	// A Flux source whose controller reported the URL it failed on, password included.
	c.Create(t, fixtures.Object{Plural: "gitrepositories", Manifest: fmt.Sprintf(`
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: private, namespace: %s}
spec: {interval: 1m, url: "https://git.example.internal/org/repo", ref: {branch: main}}`, ns),
		Status: fixtures.Ready("False", "GitOperationFailed", "failed to checkout and determine revision: unable to clone 'https://deploy:"+canaryURLPass+"@git.example.internal/org/repo': authentication required", nil)})
	return ns
}

// leaks returns the canaries found anywhere in a result (structured content and text).
func leaks(t *testing.T, res any) []string {
	t.Helper()
	raw, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, c := range canaries {
		if strings.Contains(string(raw), c) {
			found = append(found, c)
		}
	}
	return found
}

func TestSecretsAreMaskedInEveryResult(t *testing.T) {
	c := testcluster.Get(t)
	ns := secretFixtures(t, c)
	secretManifest := fmt.Sprintf("apiVersion: v1\nkind: Secret\nmetadata: {name: new, namespace: %s}\nstringData: {token: %s}\ndata: {password: %s}\n",
		ns, canaryString, base64.StdEncoding.EncodeToString([]byte(canaryData)))
	calls := []struct {
		tool string
		args map[string]any
	}{
		{"get_kubernetes_resources", map[string]any{"kind": "secret", "namespace": ns, "name": "creds"}},
		{"get_kubernetes_resources", map[string]any{"kind": "secrets", "namespace": ns}},
		{"get_kubernetes_resources", map[string]any{"kind": "secret", "namespace": ns, "fields": []string{".data.password", ".data", ".metadata.annotations", "{..password}"}}},
		{"apply_kubernetes_manifest", map[string]any{"manifest": secretManifest, "dry_run": true}},
		{"patch_kubernetes_resource", map[string]any{"kind": "secret", "name": "creds", "namespace": ns, "patch": `{"metadata":{"labels":{"a":"b"}}}`, "dry_run": true}},
		{"get_flux_resources", map[string]any{"kind": "gitrepository", "namespace": ns}},
		{"get_kubernetes_resources", map[string]any{"kind": "gitrepo", "namespace": ns, "fields": []string{".status.conditions[0].message"}}},
	}
	masked := httpClient(t, httpServer(t, c, mcp.TransportHTTP, mcp.Options{MaskSecrets: true})+"/mcp")
	plain := httpClient(t, httpServer(t, c, mcp.TransportHTTP, mcp.Options{MaskSecrets: false})+"/mcp")
	for _, call1 := range calls {
		res := call(t, masked, call1.tool, call1.args)
		if res.IsError {
			t.Fatalf("%s %v: %s", call1.tool, call1.args, text(res))
		}
		if l := leaks(t, res); len(l) > 0 {
			t.Errorf("%s %v leaked %v:\n%s", call1.tool, call1.args, l, text(res))
		}
		raw, _ := json.Marshal(res)
		if !strings.Contains(string(raw), mcp.Masked) {
			t.Errorf("%s %v: nothing was masked:\n%s", call1.tool, call1.args, raw)
		}
		// The keys stay visible.
		if strings.Contains(call1.tool, "kubernetes") && !strings.Contains(string(raw), "password") && !strings.Contains(string(raw), "message") {
			t.Errorf("%s: keys were masked too: %s", call1.tool, raw)
		}
		if l := leaks(t, call(t, plain, call1.tool, call1.args)); len(l) == 0 {
			t.Errorf("%s %v with --mask-secrets=false shows no value", call1.tool, call1.args)
		}
	}
	if got := text(call(t, masked, "get_flux_resources", map[string]any{"kind": "gitrepository", "namespace": ns})); !strings.Contains(got, "https://deploy:****@git.example.internal") {
		t.Errorf("URL credentials: %s", got)
	}
}
