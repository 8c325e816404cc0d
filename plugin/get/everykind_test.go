package get_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/get"
)

// Every Flux kind, served by the test cluster's CRDs, shows the READY, REVISION and SOURCE that its
// controller's status says, through the full decoder and the lean one (ItemsOnly) alike. This file
// sorts before get_test.go, whose last test removes the FluxReport CRD.
func TestGetShowsEveryKindsColumns(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "kinds")
	ctx := context.Background()
	if err := fixtures.CreateAll(ctx, c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	if err := fixtures.CreateAll(ctx, c.Dynamic, fixtures.OtherKinds(ns)); err != nil {
		t.Fatal(err)
	}
	const gitRev = "main@sha1:8b2f1c4e6a7d9f0b1c2d3e4f5a6b7c8d9e0f1a2b"
	type row struct{ ready, revision, source string }
	want := map[string]row{
		"Kustomization/infrastructure":      {"True", gitRev, "GitRepository/" + ns + "/flux-system"},
		"Kustomization/apps":                {"False", gitRev, "GitRepository/" + ns + "/flux-system"},
		"HelmRelease/podinfo":               {"True", "6.7.1", "HelmRepository/" + ns + "/podinfo"},
		"GitRepository/flux-system":         {"True", gitRev, ""},
		"OCIRepository/manifests":           {"False", "", ""},
		"HelmRepository/podinfo":            {"True", "", ""},
		"HelmChart/" + ns + "-podinfo":      {"True", "6.7.1", "HelmRepository/" + ns + "/podinfo"},
		"Bucket/fleet-artifacts":            {"False", "sha256:6f0c3a9b1d2e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f90", ""},
		"Alert/on-call":                     {"", "", ""},
		"Provider/slack":                    {"", "", ""},
		"Receiver/github":                   {"True", "", ""},
		"ImageRepository/podinfo":           {"True", "sha256:4a8f2e6c0b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a", ""},
		"ImagePolicy/podinfo":               {"True", "6.7.1", "ImageRepository/" + ns + "/podinfo"},
		"ImageUpdateAutomation/flux-system": {"True", "2c6b3f1e9d8a7c6b5a4f3e2d1c0b9a8f7e6d5c4b", "GitRepository/" + ns + "/flux-system"},
		"FluxInstance/flux":                 {"True", "v2.9.5@sha256:9d1c3e5b7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e", ""},
		"FluxReport/flux":                   {"True", "", ""},
		"ResourceSet/tenants":               {"True", "sha256:1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b", ""},
		"ResourceSetInputProvider/previews": {"True", "sha256:7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e", ""},
	}
	cache := testcluster.Cache(c.Kubeconfig)
	for _, lean := range []bool{false, true} {
		res, err := run(t, cache, &get.Options{Kind: "all", Namespace: ns, ItemsOnly: lean})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.NotInstalled) > 0 {
			t.Fatalf("the test cluster should serve every Flux kind; not installed: %v", res.NotInstalled)
		}
		kinds := map[string]bool{}
		got := map[string]row{}
		for _, kt := range res.Tables(false, false, time.Now()) {
			kinds[kt.Kind] = true
			col := map[string]int{}
			for i, h := range kt.Table.Columns {
				col[h.Header] = i
			}
			for _, r := range kt.Table.Rows {
				got[kt.Kind+"/"+r[col["name"]]] = row{r[col["ready"]], r[col["revision"]], r[col["source"]]}
			}
		}
		for _, k := range fluxkinds.All() {
			if !kinds[k.Kind] {
				t.Errorf("lean=%v: no table for %s; every kind should have an object here", lean, k.Kind)
			}
		}
		for key, w := range want {
			g, ok := got[key]
			if !ok {
				t.Errorf("lean=%v: no row for %s", lean, key)
				continue
			}
			if g != w {
				t.Errorf("lean=%v: %s = READY %q REVISION %q SOURCE %q; want %q %q %q", lean, key, g.ready, g.revision, g.source, w.ready, w.revision, w.source)
			}
		}
		if t.Failed() {
			t.Logf("items: %s", strings.TrimSpace(res.Text()))
		}
	}
}
