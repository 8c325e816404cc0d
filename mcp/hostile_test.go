package mcp_test

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	mcpgo "github.com/mark3labs/mcp-go/mcp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

// TestHostileInput: bad and hostile arguments get one clear isError each, no panic, and leave
// the cluster as it was.
func TestHostileInput(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "hostile")
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, c, ns)
	cm := func(name string) string {
		return fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s, namespace: %s}\ndata: {a: b}\n", name, ns)
	}
	deep := strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
	hugeDoc := cm("huge") + "  big: " + strings.Repeat("x", 3<<20) + "\n"
	cases := []struct {
		tool string
		args map[string]any
		want string // a part of the one-line error; "" accepts any error
	}{
		{"get_flux_resources", map[string]any{}, "kind"},
		{"get_flux_resources", map[string]any{"kind": 42}, "invalid arguments"},
		{"get_flux_resources", map[string]any{"kind": []any{"ks"}}, "invalid arguments"},
		{"get_flux_resources", map[string]any{"kind": "widgets"}, "unknown Flux kind"},
		{"get_flux_resources", map[string]any{"kind": "ks", "name": 12}, "invalid arguments"},
		{"get_flux_resources", map[string]any{"kind": "ks", "namespace": ns, "label_selector": "a in (b"}, "selector"},
		{"get_flux_resources", map[string]any{"kind": "ks", "namespace": ns, "status_selector": "bogus"}, ""},
		{"get_flux_resources", map[string]any{"kind": "ks", "context": "nowhere"}, `context "nowhere" not found`},
		{"get_flux_resources", map[string]any{"kind": "ks", "namespace": ns, "name": "a\x00b\x01\u202e"}, ""},
		{"get_flux_resources", map[string]any{"kind": "ks\u00e9\u4e2d", "namespace": ns}, "unknown Flux kind"},
		{"get_flux_resources", map[string]any{"kind": "ks", "name": "ghost", "namespace": "another-ns-that-does-not-exist"}, "not found"},
		{"get_kubernetes_resources", map[string]any{}, "kind"},
		{"get_kubernetes_resources", map[string]any{"kind": "nonexistentkinds"}, "doesn't have a resource type"},
		{"get_kubernetes_resources", map[string]any{"kind": "configmaps", "namespace": ns, "fields": []any{"{.data["}}, ""},
		{"get_kubernetes_resources", map[string]any{"kind": "configmaps", "namespace": ns, "fields": []any{"{.metadata.name"}}, ""},
		{"get_kubernetes_resources", map[string]any{"kind": "configmaps", "namespace": ns, "fields": "not-a-list"}, "invalid arguments"},
		{"get_kubernetes_resources", map[string]any{"kind": "configmaps", "namespace": ns, "limit": -1}, ""},
		{"get_kubernetes_resources", map[string]any{"kind": "configmaps", "namespace": ns, "limit": 1e300}, ""},
		{"get_kubernetes_resources", map[string]any{"kind": "configmaps", "namespace": ns, "field_selector": "metadata.name=a,,=b"}, ""},
		{"get_kubernetes_resources", map[string]any{"kind": "configmaps", "namespace": ns, "continue": "garbage"}, ""},
		{"get_kubernetes_resources", map[string]any{"kind": "configmaps", "namespace": ns, "label_selector": "!!"}, ""},
		{"get_flux_tree", map[string]any{"kind": "ks", "name": "missing", "namespace": ns}, "not found"},
		{"get_flux_tree", map[string]any{"kind": "ks"}, ""},
		{"get_flux_tree", map[string]any{"kind": "ks", "name": "apps", "namespace": ns, "depth": -5}, ""},
		{"trace_flux_resource", map[string]any{"kind": "ConfigMap", "name": "x", "namespace": ns, "api_version": "v999"}, ""},
		{"get_flux_events", map[string]any{"namespace": ns, "since": "-5m"}, ""},
		{"get_flux_events", map[string]any{"namespace": ns, "limit": -3}, ""},
		{"get_flux_events", map[string]any{"namespace": ns, "grep": "(unclosed"}, ""},
		{"get_flux_logs", map[string]any{"tail": -1}, ""},
		{"get_flux_logs", map[string]any{"level": "loud"}, ""},
		{"explain_flux_api", map[string]any{"path": ""}, ""},
		{"explain_flux_api", map[string]any{"path": "kustomization.spec.nope"}, ""},
		{"export_flux_resources", map[string]any{"kind": "ks", "namespace": ns}, ""},
		{"apply_kubernetes_manifest", map[string]any{"manifest": ""}, ""},
		{"apply_kubernetes_manifest", map[string]any{"manifest": "{{{ not: yaml"}, ""},
		{"apply_kubernetes_manifest", map[string]any{"manifest": deep}, ""},
		{"apply_kubernetes_manifest", map[string]any{"manifest": hugeDoc}, ""},
		{"apply_kubernetes_manifest", map[string]any{"manifest": cm("good-first") + "---\n" + "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [broken\n"}, ""},
		{"apply_kubernetes_manifest", map[string]any{"manifest": cm("good-second") + "---\napiVersion: v1\nkind: NoSuchKind\nmetadata: {name: x, namespace: " + ns + "}\n"}, ""},
		{"apply_kubernetes_manifest", map[string]any{"manifest": cm("good-third") + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: \"Bad Name!\", namespace: " + ns + "}\n"}, ""},
		{"apply_kubernetes_manifest", map[string]any{"manifest": "apiVersion: v1\nmetadata: {name: nokind}\n"}, ""},
		{"apply_kubernetes_manifest", map[string]any{"manifest": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \"caf\u00e9\\u0000\", namespace: " + ns + "}\n"}, ""},
		{"apply_kubernetes_manifest", map[string]any{"manifest": cm("other-ns"), "namespace": "some-other-namespace"}, ""},
		{"apply_kubernetes_manifest", map[string]any{"manifest": 7}, "invalid arguments"},
		{"patch_kubernetes_resource", map[string]any{"kind": "ks", "name": "apps", "namespace": ns, "patch": "{not json"}, ""},
		{"patch_kubernetes_resource", map[string]any{"kind": "ks", "name": "apps", "namespace": ns, "patch": "{}", "type": "bogus"}, ""},
		{"patch_kubernetes_resource", map[string]any{"kind": "ks", "name": "nope", "namespace": ns, "patch": `{"metadata":{"labels":{"a":"b"}}}`}, "not found"},
		{"patch_kubernetes_resource", map[string]any{"kind": "ks", "name": "apps", "namespace": ns, "patch": `{"spec":{"interval":"not-a-duration"}}`}, ""},
		{"delete_kubernetes_resource", map[string]any{"kind": "ks", "name": "", "namespace": ns}, ""},
		{"delete_kubernetes_resource", map[string]any{"kind": "ks", "name": "nope", "namespace": ns}, "not found"},
		{"delete_kubernetes_resource", map[string]any{"kind": "nonexistentkinds", "name": "x", "namespace": ns}, ""},
		{"reconcile_flux_resource", map[string]any{"kind": "ks", "name": "nope", "namespace": ns}, "not found"},
		{"reconcile_flux_resource", map[string]any{"kind": "ks", "name": "apps", "namespace": ns, "timeout": "-1s"}, "invalid timeout"},
		{"reconcile_flux_resource", map[string]any{"kind": "ks", "name": "apps", "namespace": ns, "timeout": "forever"}, "invalid timeout"},
		{"suspend_flux_resource", map[string]any{"kind": "ks", "namespace": ns}, ""},
		{"resume_flux_resource", map[string]any{"kind": "ks", "name": "apps", "all": true, "namespace": ns}, ""},
		{"suspend_flux_resource", map[string]any{"kind": "ks", "label_selector": "a in (", "namespace": ns}, ""},
		{"no_such_tool", map[string]any{}, ""},
	}
	cl := stdioClient(t, c, "serve")
	for i, tc := range cases {
		var res = callMaybe(t, cl, tc.tool, tc.args)
		if res.err != nil {
			// Only an unknown tool is a protocol error.
			if tc.tool != "no_such_tool" {
				t.Errorf("%d %s %.200v: protocol error %v", i, tc.tool, tc.args, res.err)
			}
			continue
		}
		txt := text(res.res)
		if !res.res.IsError {
			t.Errorf("%d %s %.200v: not an error: %.300s", i, tc.tool, tc.args, txt)
			continue
		}
		if tc.want != "" && !strings.Contains(txt, tc.want) {
			t.Errorf("%d %s %.200v: %q, want %q", i, tc.tool, tc.args, txt, tc.want)
		}
		if strings.Contains(strings.ToLower(txt), "panic") || strings.Count(strings.TrimSpace(txt), "\n") > 0 || len(txt) > 1000 || txt == "" {
			t.Errorf("%d %s %.200v: not one clear line: %q", i, tc.tool, tc.args, txt)
		}
	}
	// The session survived.
	if res := call(t, cl, "get_flux_resources", map[string]any{"kind": "ks", "namespace": ns}); res.IsError {
		t.Fatalf("after the hostile calls: %s", text(res))
	}
	if after := snapshot(t, c, ns); after != before {
		t.Errorf("the cluster changed:\nbefore %s\nafter  %s", before, after)
	}
}

// snapshot names every ConfigMap and Flux object in ns with its resourceVersion and labels.
func snapshot(t *testing.T, c *testcluster.Cluster, ns string) string {
	t.Helper()
	var b strings.Builder
	cms, err := c.Kube.CoreV1().ConfigMaps(ns).List(context.Background(), metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range cms.Items {
		fmt.Fprintf(&b, "cm/%s@%s ", o.Name, o.ResourceVersion)
	}
	for _, gvr := range fluxGVRs {
		list, err := c.Dynamic.Resource(gvr).Namespace(ns).List(context.Background(), metav1.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range list.Items {
			fmt.Fprintf(&b, "%s/%s@%s ", gvr.Resource, o.GetName(), o.GetResourceVersion())
		}
	}
	return b.String()
}

// TestHostileCLI: the same kind of input through the commands: exit 1 and one "error:" line.
func TestHostileCLI(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "hostilecli")
	for _, args := range [][]string{
		{"get", "widgets"},
		{"get", "ks", "--context", "nowhere"},
		{"get", "ks", "-n", ns, "-l", "a in (b"},
		{"get", "ks", "-n", ns, "--status-selector", "bogus"},
		{"get", "ks", "-n", ns, "-o", "jsonpath={.items["},
		{"tree", "ks", "missing", "-n", ns},
		{"trace", "ConfigMap", "x", "-n", ns, "--api-version", "v999"},
		{"reconcile", "ks", "nope", "-n", ns, "--timeout", "-1s"},
		{"suspend", "ks", "-n", ns},
		{"events", "-n", ns, "--since", "-5m"},
		{"explain", "kustomization.spec.nope"},
		{"export", "ks", "-n", ns},
	} {
		cmd := exec.Command(testcluster.PluginBinary(t), append(args, "--kubeconfig", c.Kubeconfig)...)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		lines := strings.Split(strings.TrimSpace(errOut.String()), "\n")
		if err == nil || cmd.ProcessState.ExitCode() != 1 || len(lines) != 1 || !strings.HasPrefix(lines[0], "error: ") || strings.Contains(errOut.String(), "panic") {
			t.Errorf("%v: exit %v, stderr %q, want exit 1 and one error line", args, err, errOut.String())
		}
	}
}

// fluxGVRs are the Flux kinds fixtures.Sample creates.
var fluxGVRs = []schema.GroupVersionResource{
	{Group: "source.toolkit.fluxcd.io", Version: "v1", Resource: "gitrepositories"},
	{Group: "source.toolkit.fluxcd.io", Version: "v1", Resource: "helmrepositories"},
	{Group: "kustomize.toolkit.fluxcd.io", Version: "v1", Resource: "kustomizations"},
	{Group: "helm.toolkit.fluxcd.io", Version: "v2", Resource: "helmreleases"},
}

type callOutcome struct {
	res *mcpgo.CallToolResult
	err error
}

// callMaybe calls a tool and returns a protocol error instead of failing the test.
func callMaybe(t *testing.T, cl *client.Client, name string, args map[string]any) callOutcome {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req := mcpgo.CallToolRequest{}
	req.Params.Name, req.Params.Arguments = name, args
	res, err := cl.CallTool(ctx, req)
	return callOutcome{res, err}
}
