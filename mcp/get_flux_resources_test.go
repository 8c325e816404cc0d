package mcp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

// The default answer is a summary plus the objects needing attention first, capped, with the
// truncation said in the text and in the structured content, and a continue token that works.
func TestStdioGetFluxResourcesDefaultIsCappedWithNotice(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "mcp-page")
	long := strings.Repeat("x", 1000)
	var objs []fixtures.Object
	for i := range 34 {
		status, msg := "True", "Applied revision: main@sha1:1"
		if i == 33 {
			status, msg = "False", "build failed: "+long
		}
		objs = append(objs, fixtures.Object{Plural: "kustomizations", Manifest: fmt.Sprintf(`
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: app-%02d, namespace: %s}
spec: {interval: 10m, path: ./, prune: true, sourceRef: {kind: GitRepository, name: repo}}`, i, ns),
			Status: fixtures.Ready(status, "Reason", msg, map[string]any{"lastAppliedRevision": "main@sha1:1"})})
	}
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, objs); err != nil {
		t.Fatal(err)
	}
	cl := stdioClient(t, c, "serve")
	type page struct {
		Items []struct {
			Name, Ready, Message, APIVersion string
		}
		Summary []struct {
			Kind                   string
			Total, Ready, NotReady int
		}
		Truncated bool
		Omitted   int
		Continue  string
		Notice    string
	}
	res := call(t, cl, "get_flux_resources", map[string]any{"kind": "ks", "namespace": ns})
	got := structured[page](t, res)
	if len(got.Items) != 30 || !got.Truncated || got.Omitted != 4 || got.Continue == "" ||
		!strings.Contains(got.Notice, "showing 30 of 34") || !strings.Contains(got.Notice, got.Continue) {
		t.Fatalf("first page: %d items, %+v", len(got.Items), got)
	}
	if s := got.Summary; len(s) != 1 || s[0].Total != 34 || s[0].Ready != 33 || s[0].NotReady != 1 {
		t.Errorf("summary = %+v", s)
	}
	first := got.Items[0]
	if first.Name != "app-33" || len(first.Message) > 300 || !strings.Contains(first.Message, "cut; name the object") {
		t.Errorf("the failing object comes first, its message cut: %+v", first)
	}
	if got.Items[1].Message != "" || got.Items[1].APIVersion != "" {
		t.Errorf("a ready item keeps no message nor apiVersion: %+v", got.Items[1])
	}
	txt := text(res)
	if !strings.HasPrefix(txt, "Kustomization: 34 (33 ready, 1 not ready)\n") || !strings.Contains(txt, got.Notice) {
		t.Errorf("text:\n%s", txt)
	}
	next := structured[page](t, call(t, cl, "get_flux_resources", map[string]any{"kind": "ks", "namespace": ns, "continue": got.Continue}))
	if len(next.Items) != 4 || next.Continue != "" || next.Items[3].Name != "app-32" {
		t.Errorf("second page: %+v", next)
	}
	one := structured[page](t, call(t, cl, "get_flux_resources", map[string]any{"kind": "ks", "namespace": ns, "name": "app-33"}))
	if len(one.Items) != 1 || !strings.HasSuffix(one.Items[0].Message, long) || one.Truncated {
		t.Errorf("a named object keeps its whole message: %+v", one)
	}
	raw, _ := json.Marshal(res)
	if len(raw) > 32*1024 {
		t.Errorf("default answer is %d bytes", len(raw))
	}
}
