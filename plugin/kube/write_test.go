package kube_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/kube"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

func TestPatchTypesAndDryRun(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "patch")
	configMaps(t, c, ns, 1)
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	cc := testcluster.Cache(c.Kubeconfig)
	ctx := context.Background()
	patch := func(o kube.PatchOptions) (*kube.PatchResult, error) {
		o.Namespace = ns
		return operation.Execute(ctx, cc, &o)
	}
	res, err := patch(kube.PatchOptions{Kind: "cm", Name: "cm-0", Patch: `{"data":{"k":"dry"}}`, DryRun: true})
	if err != nil || !res.Changed || res.Object["data"].(map[string]any)["k"] != "dry" || cmExists(t, c, ns, "cm-0").Data["k"] != "v0" {
		t.Fatalf("dry run: %v %+v", err, res)
	}
	res, err = patch(kube.PatchOptions{Kind: "configmap", Name: "cm-0", Type: "merge", Patch: "data:\n  k: merged\n"})
	if err != nil || !res.Changed || cmExists(t, c, ns, "cm-0").Data["k"] != "merged" || !strings.Contains(res.Text(), ns+"/configmap/cm-0 patched") {
		t.Fatalf("merge (YAML): %v %+v", err, res)
	}
	res, err = patch(kube.PatchOptions{Kind: "cm", Name: "cm-0", Type: "json", Patch: `[{"op":"replace","path":"/data/k","value":"json"}]`})
	if err != nil || cmExists(t, c, ns, "cm-0").Data["k"] != "json" {
		t.Fatalf("json: %v %+v", err, res)
	}
	res, err = patch(kube.PatchOptions{Kind: "cm", Name: "cm-0", Type: "strategic", Patch: `{"data":{"k":"json"}}`})
	if err != nil || res.Changed || !strings.Contains(res.Text(), "(no change)") {
		t.Fatalf("strategic no-op: %v %+v", err, res)
	}
	res, err = patch(kube.PatchOptions{Kind: "ks", Name: "apps", Patch: `{"spec":{"suspend":true}}`})
	if err != nil || !res.Changed || res.Object["spec"].(map[string]any)["suspend"] != true {
		t.Fatalf("merge on a CR: %v %+v", err, res)
	}
	errs := map[string]kube.PatchOptions{
		"the server does not accept a strategic patch for Kustomization: use type merge or json": {Kind: "ks", Name: "apps", Type: "strategic", Patch: `{"spec":{"suspend":false}}`},
		`unknown patch type "xml"`:                                                             {Kind: "cm", Name: "cm-0", Type: "xml", Patch: `{}`},
		"a list of operations is a JSON patch: set type json":                                  {Kind: "cm", Name: "cm-0", Patch: `[{"op":"remove","path":"/data"}]`},
		"a json patch is a list of operations":                                                 {Kind: "cm", Name: "cm-0", Type: "json", Patch: `{"data":{}}`},
		"the patch is not valid JSON or YAML":                                                  {Kind: "cm", Name: "cm-0", Patch: `{"data":`},
		`ConfigMap "ghost" not found in namespace "` + ns + `"; ConfigMap objects there: cm-0`: {Kind: "cm", Name: "ghost", Patch: `{}`},
		"a name is required":                                                                   {Kind: "cm", Patch: `{}`},
		// The server would say only "the server rejected our request due to an error in our request".
		"the json patch does not apply to ConfigMap cm-0: replace operation does not apply: doc is missing path: /spec/x": {
			Kind: "cm", Name: "cm-0", Type: "json", Patch: `[{"op":"replace","path":"/spec/x","value":"x"}]`},
		"the json patch does not apply to ConfigMap cm-0: testing value /data/k failed": {
			Kind: "cm", Name: "cm-0", Type: "json", Patch: `[{"op":"test","path":"/data/k","value":"nope"},{"op":"replace","path":"/data/k","value":"half"}]`},
	}
	for want, o := range errs {
		if _, err := patch(o); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%+v: err %v, want %q", o, err, want)
		}
	}
	if got := cmExists(t, c, ns, "cm-0").Data["k"]; got != "json" {
		t.Errorf("a refused patch changed the ConfigMap: k=%q", got)
	}
}

func TestDelete(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "delete")
	configMaps(t, c, ns, 1)
	cc := testcluster.Cache(c.Kubeconfig)
	ctx := context.Background()
	res, err := operation.Execute(ctx, cc, &kube.DeleteOptions{Kind: "cm", Name: "cm-0", Namespace: ns, DryRun: true})
	if err != nil || !res.DryRun || cmExists(t, c, ns, "cm-0") == nil || res.Text() != ns+"/configmap/cm-0 deleted (server dry run)\n" {
		t.Fatalf("dry run: %v %+v", err, res)
	}
	if _, err := operation.Execute(ctx, cc, &kube.DeleteOptions{Kind: "cm", Name: "cm-0", Namespace: ns}); err != nil || cmExists(t, c, ns, "cm-0") != nil {
		t.Fatalf("delete: %v", err)
	}
	_, err = operation.Execute(ctx, cc, &kube.DeleteOptions{Kind: "cm", Name: "cm-0", Namespace: ns})
	if err == nil || err.Error() != `ConfigMap "cm-0" not found in namespace "`+ns+`"; there is no ConfigMap in that namespace` {
		t.Errorf("second delete: %v", err)
	}
	if _, err = operation.Execute(ctx, cc, &kube.DeleteOptions{Kind: "cm", Namespace: ns}); err == nil || !strings.Contains(err.Error(), "a name is required") {
		t.Errorf("no name: %v", err)
	}
}

func TestAPIResources(t *testing.T) {
	c := testcluster.Get(t)
	cc := testcluster.Cache(c.Kubeconfig)
	res, err := operation.Execute(context.Background(), cc, &kube.APIResourcesOptions{})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]kube.APIResource{}
	for _, r := range res.Resources {
		byName[r.Name+" "+r.APIVersion] = r
	}
	cm, ks := byName["configmaps v1"], byName["kustomizations kustomize.toolkit.fluxcd.io/v1"]
	if cm.Kind != "ConfigMap" || !cm.Namespaced || strings.Join(cm.ShortNames, ",") != "cm" || ks.Kind != "Kustomization" || len(ks.ShortNames) == 0 {
		t.Fatalf("configmaps = %+v, kustomizations = %+v", cm, ks)
	}
	if _, sub := byName["pods/log v1"]; sub {
		t.Error("subresources must not be listed")
	}
	res, err = operation.Execute(context.Background(), cc, &kube.APIResourcesOptions{APIGroup: "apps"})
	if err != nil || len(res.Resources) == 0 || !strings.Contains(res.Text(), "deployments           deploy       apps/v1") {
		t.Fatalf("apps: %v\n%s", err, res.Text())
	}
	for _, r := range res.Resources {
		if !strings.HasPrefix(r.APIVersion, "apps/") {
			t.Errorf("group filter let %s through", r.APIVersion)
		}
	}
}

func TestContextsHideCredentials(t *testing.T) {
	c := testcluster.Get(t)
	raw, err := os.ReadFile(c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	// A second kubeconfig file with a token-bearing user, merged through KUBECONFIG as kubectl does.
	extra := filepath.Join(t.TempDir(), "extra")
	if err := os.WriteFile(extra, []byte(`apiVersion: v1
kind: Config
clusters: [{name: prod, cluster: {server: "https://prod.example:6443"}}]
users: [{name: prod-admin, user: {token: canary-token-value}}]
contexts: [{name: prod, context: {cluster: prod, user: prod-admin, namespace: flux-system}}]
`), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("KUBECONFIG", c.Kubeconfig+string(os.PathListSeparator)+extra)
	res, err := operation.Execute(context.Background(), testcluster.Cache(""), &kube.ContextsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(res)
	if strings.Contains(string(out), "canary-token-value") || strings.Contains(string(out), "client-key") || strings.Contains(res.Text(), "canary") || len(raw) == 0 {
		t.Fatalf("credentials leaked: %s", out)
	}
	if res.Current != "envtest" || len(res.Contexts) != 2 || !res.Contexts[0].Current || res.Contexts[1].Name != "prod" || res.Contexts[1].Server != "https://prod.example:6443" || res.Contexts[1].Namespace != "flux-system" {
		t.Fatalf("contexts = %s", out)
	}
	if lines := strings.Split(res.Text(), "\n"); !strings.HasPrefix(lines[1], "*         envtest") {
		t.Errorf("text:\n%s", res.Text())
	}
}
