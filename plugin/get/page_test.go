package get_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/get"
)

// The lean decode of a list must give exactly the items of the full decode, for every kind.
func TestGetItemsOnlyGivesTheSameItems(t *testing.T) {
	c := testcluster.Get(t)
	ns := sampleNamespace(t, c)
	cache := testcluster.Cache(c.Kubeconfig)
	full, err := run(t, cache, &get.Options{Kind: "all", Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	lean, err := run(t, cache, &get.Options{Kind: "all", Namespace: ns, ItemsOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(full.Items)
	b, _ := json.Marshal(lean.Items)
	if string(a) != string(b) {
		t.Fatalf("items differ:\nfull %s\nlean %s", a, b)
	}
	if len(full.Items) < 8 || lean.Items[0].Object() == nil {
		t.Fatalf("want every sample object, each with its (lean) object: %d items", len(full.Items))
	}
	// A selector reaches the lean list too.
	sel, err := run(t, cache, &get.Options{Kind: "ks", Namespace: ns, LabelSelector: "nothing=here", ItemsOnly: true})
	if err != nil || len(sel.Items) != 0 {
		t.Fatalf("selector: %v %d", err, len(sel.Items))
	}
}

// A lean list reads the API server's list in pages of 500 and follows every continue token:
// 510 objects must all come back.
func TestGetItemsOnlyFollowsTheListPages(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "chunks")
	var objs []fixtures.Object
	for i := range 510 {
		objs = append(objs, fixtures.Object{Plural: "gitrepositories", Manifest: fmt.Sprintf(`
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: repo-%03d, namespace: %s}
spec: {interval: 10m, url: "https://example.invalid/r.git"}`, i, ns)})
	}
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, objs); err != nil {
		t.Fatal(err)
	}
	res, err := run(t, testcluster.Cache(c.Kubeconfig), &get.Options{Kind: "gitrepo", Namespace: ns, ItemsOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, it := range res.Items {
		seen[it.Name] = true
	}
	if len(res.Items) != 510 || len(seen) != 510 {
		t.Fatalf("got %d items (%d names), want 510", len(res.Items), len(seen))
	}
}

func TestGetLimitPagesFailingFirstWithCounts(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "page")
	var objs []fixtures.Object
	for i := range 9 {
		status, reason := "True", "ReconciliationSucceeded"
		if i%4 == 1 {
			status, reason = "False", "HealthCheckFailed"
		}
		suspend := i == 6
		objs = append(objs, fixtures.Object{Plural: "kustomizations", Manifest: fmt.Sprintf(`
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: app-%d, namespace: %s}
spec: {interval: 10m, path: ./, prune: true, suspend: %t, sourceRef: {kind: GitRepository, name: repo}}`, i, ns, suspend),
			Status: fixtures.Ready(status, reason, "msg "+reason, map[string]any{"lastAppliedRevision": "main@sha1:1"})})
	}
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, objs); err != nil {
		t.Fatal(err)
	}
	cache := testcluster.Cache(c.Kubeconfig)
	var got []string
	tok := ""
	for page := 0; ; page++ {
		res, err := run(t, cache, &get.Options{Kind: "ks", Namespace: ns, Limit: 4, Continue: tok, ItemsOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Summary) != 1 || res.Summary[0] != (get.KindCount{Kind: "Kustomization", Total: 9, Ready: 7, NotReady: 2, Suspended: 1}) {
			t.Fatalf("summary = %+v", res.Summary)
		}
		for _, it := range res.Items {
			got = append(got, it.Name)
		}
		if page == 0 {
			if !res.Truncated || res.Omitted != 5 || res.Continue == "" ||
				!strings.Contains(res.Notice, "showing 4 of 9") || !strings.Contains(res.Notice, res.Continue) {
				t.Fatalf("first page: %+v", res.Page)
			}
			txt := res.Text()
			if !strings.HasPrefix(txt, "Kustomization: 9 (7 ready, 2 not ready, 1 suspended)\n") || !strings.Contains(txt, res.Notice) {
				t.Fatalf("text:\n%s", txt)
			}
		}
		if res.Continue == "" {
			if page != 2 || !res.Truncated {
				t.Fatalf("last page %d: %+v", page, res.Page)
			}
			break
		}
		tok = res.Continue
	}
	want := "app-1,app-5,app-6,app-0,app-2,app-3,app-4,app-7,app-8"
	if strings.Join(got, ",") != want {
		t.Fatalf("pages = %v, want %s (failing, suspended, then the rest)", got, want)
	}
	all, err := run(t, cache, &get.Options{Kind: "ks", Namespace: ns})
	if err != nil || len(all.Items) != 9 || all.Truncated || all.Notice != "" {
		t.Fatalf("no limit: %v %+v", err, all.Page)
	}
	other, err := run(t, cache, &get.Options{Kind: "ks", Namespace: ns, StatusSelector: "ready=true", Limit: 2})
	if err != nil || other.Continue == "" {
		t.Fatalf("another query: %v %+v", err, other.Page)
	}
	for name, tok := range map[string]string{"garbage": "!!", "another query": other.Continue} {
		_, err := run(t, cache, &get.Options{Kind: "ks", Namespace: ns, Limit: 4, Continue: tok})
		if err == nil || !strings.Contains(err.Error(), "invalid continue token") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}
