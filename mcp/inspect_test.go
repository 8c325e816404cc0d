package mcp_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

func treeSample(t *testing.T) (*testcluster.Cluster, string) {
	t.Helper()
	c := testcluster.Get(t)
	ns := c.Namespace(t, "mcp-tree")
	if err := fixtures.CreateTree(context.Background(), c.Kube, c.Dynamic, ns); err != nil {
		t.Fatal(err)
	}
	return c, ns
}

func structured[T any](t *testing.T, res *mcp.CallToolResult) T {
	t.Helper()
	if res.IsError {
		t.Fatalf("isError: %s", text(res))
	}
	return decode[T](t, res)
}

func TestStdioInspectionToolsAreReadOnly(t *testing.T) {
	c := testcluster.Get(t)
	cl := stdioClient(t, c, "serve", "--read-only")
	res, err := cl.ListTools(context.Background(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"get_flux_tree": "kind,name", "trace_flux_resource": "kind,name", "get_flux_events": ""}
	for _, tool := range res.Tools {
		required, ok := want[tool.Name]
		if !ok {
			continue
		}
		delete(want, tool.Name)
		a := tool.Annotations
		if !*a.ReadOnlyHint || *a.DestructiveHint || !*a.IdempotentHint || !*a.OpenWorldHint {
			t.Errorf("%s hints = %+v, want read-only, not destructive, idempotent, open world", tool.Name, a)
		}
		if strings.Join(tool.InputSchema.Required, ",") != required {
			t.Errorf("%s required = %v, want %q", tool.Name, tool.InputSchema.Required, required)
		}
		if _, ok := tool.InputSchema.Properties["context"]; !ok {
			t.Errorf("%s takes no context argument", tool.Name)
		}
	}
	if len(want) > 0 {
		t.Errorf("tools not offered under --read-only: %v", want)
	}
}

func TestStdioGetFluxTree(t *testing.T) {
	c, ns := treeSample(t)
	cl := stdioClient(t, c, "serve")
	res := call(t, cl, "get_flux_tree", map[string]any{"kind": "ks", "name": "parent", "namespace": ns})
	got := structured[struct {
		Nodes []struct {
			Depth, Parent  int
			Kind, Name     string
			Exists         bool
			Ready, Message string
		}
		Objects, Missing int
	}](t, res)
	if got.Objects != 12 || got.Missing != 2 || got.Nodes[0].Name != "parent" || got.Nodes[0].Parent != -1 {
		t.Fatalf("tree = %+v", got)
	}
	txt := text(res)
	for _, want := range []string{
		"Kustomization/" + ns + "/parent: 12 objects, 2 missing, 2 not ready, 1 unknown\n",
		"\n  ConfigMap " + ns + "/cm-gone [missing]\n",
		"\n  Kustomization " + ns + "/child [not ready: health check failed",
		"\n    ConfigMap " + ns + "/cm-c\n",
		"\n    ClusterRole podinfo:reader [missing]\n",
		"\n  Widget " + ns + "/gizmo [unknown: the kind Widget.example.com is not served by the cluster]\n",
	} {
		if !strings.Contains(txt, want) {
			t.Errorf("text lacks %q:\n%s", want, txt)
		}
	}
	// limit caps nodes, failing and missing objects first; the counts and the text cover everything.
	res = call(t, cl, "get_flux_tree", map[string]any{"kind": "ks", "name": "parent", "namespace": ns, "limit": 4})
	capped := structured[struct {
		Nodes []struct {
			Parent int
			Name   string
			Exists bool
			Ready  string
		}
		Objects, Missing, Omitted int
		Notice                    string
	}](t, res)
	if len(capped.Nodes) != 5 || capped.Objects != 12 || capped.Missing != 2 || capped.Omitted != 8 ||
		!strings.Contains(capped.Notice, "nodes holds 4 of the 12 objects") {
		t.Fatalf("capped tree = %+v", capped)
	}
	for _, n := range capped.Nodes[1:] {
		if n.Exists && n.Ready == "True" {
			t.Errorf("a healthy object (%s) was kept before failing ones", n.Name)
		}
	}
	if txt := text(res); !strings.Contains(txt, "\n  ConfigMap "+ns+"/cm-gone [missing]\n") || !strings.Contains(txt, "nodes holds 4 of the 12 objects") {
		t.Errorf("capped text:\n%s", txt)
	}
	res = call(t, cl, "get_flux_tree", map[string]any{"kind": "gitrepo", "name": "fleet", "namespace": ns})
	if !res.IsError || !strings.Contains(text(res), "GitRepository has no inventory") {
		t.Errorf("no inventory: isError=%v %q", res.IsError, text(res))
	}
}

func TestStdioTraceFluxResource(t *testing.T) {
	c, ns := treeSample(t)
	cl := stdioClient(t, c, "serve")
	res := call(t, cl, "trace_flux_resource", map[string]any{"kind": "deploy", "name": "podinfo", "namespace": ns})
	got := structured[struct {
		Managed bool
		Levels  []struct {
			Kind, Name, Ready, Revision string
			Source                      *struct{ Kind, URL, Revision string }
		}
	}](t, res)
	if !got.Managed || len(got.Levels) != 4 || got.Levels[1].Kind != "HelmRelease" || got.Levels[1].Source == nil || got.Levels[1].Source.URL != fixtures.TreeHelmURL {
		t.Fatalf("trace = %+v", got)
	}
	txt := text(res)
	if lines := strings.Split(strings.TrimSpace(txt), "\n"); len(lines) != 4 || !strings.HasPrefix(lines[1], "<- HelmRelease "+ns+"/podinfo (via label helm.toolkit.fluxcd.io/name): Ready=False UpgradeFailed; revision 6.7.2") ||
		!strings.Contains(lines[1], "source HelmRepository/"+ns+"/podinfo ("+fixtures.TreeHelmURL+", "+fixtures.TreeHelmRevision+", Ready=True)") {
		t.Errorf("text:\n%s", txt)
	}
	res = call(t, cl, "trace_flux_resource", map[string]any{"kind": "gadgets", "name": "x", "namespace": ns})
	if !res.IsError || !strings.Contains(text(res), `the server doesn't have a resource type "gadgets"`) {
		t.Errorf("unknown kind: isError=%v %q", res.IsError, text(res))
	}
}

func TestStdioGetFluxEventsLimitsAndSaysSo(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "mcp-events")
	now := time.Now()
	for i := 0; i < 60; i++ {
		at := metav1.NewTime(now.Add(-time.Duration(60-i) * time.Minute))
		e := &corev1.Event{
			ObjectMeta:     metav1.ObjectMeta{Name: fmt.Sprintf("apps.%d", i), Namespace: ns},
			InvolvedObject: corev1.ObjectReference{Kind: "Kustomization", APIVersion: "kustomize.toolkit.fluxcd.io/v1", Name: "apps", Namespace: ns},
			Type:           "Normal", Reason: "ReconciliationSucceeded", Message: fmt.Sprintf("reconciliation %d finished", i),
			Count: 1, FirstTimestamp: at, LastTimestamp: at,
		}
		if _, err := c.Kube.CoreV1().Events(ns).Create(context.Background(), e, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	cl := stdioClient(t, c, "serve")
	res := call(t, cl, "get_flux_events", map[string]any{"namespace": ns})
	got := structured[struct {
		Events    []struct{ Message string }
		Total     int
		Truncated bool
	}](t, res)
	if len(got.Events) != 50 || got.Total != 60 || !got.Truncated || got.Events[49].Message != "reconciliation 59 finished" || got.Events[0].Message != "reconciliation 10 finished" {
		t.Fatalf("events: %d of %d, truncated %v", len(got.Events), got.Total, got.Truncated)
	}
	if txt := text(res); !strings.Contains(txt, "(showing the 50 most recent of 60 matching events; raise limit to see more)") || strings.Count(txt, "\n") != 52 {
		t.Errorf("text:\n%s", txt)
	}
	res = call(t, cl, "get_flux_events", map[string]any{"namespace": ns, "since": "29m30s", "limit": 100})
	if got := structured[struct{ Total int }](t, res); got.Total != 29 {
		t.Errorf("since 29m30s: %d events, want 29", got.Total)
	}
	res = call(t, cl, "get_flux_events", map[string]any{"namespace": ns, "since": "yesterday"})
	if !res.IsError || !strings.Contains(text(res), `invalid since "yesterday"`) {
		t.Errorf("bad since: isError=%v %q", res.IsError, text(res))
	}
}
