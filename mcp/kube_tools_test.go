package mcp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	mcpgo "github.com/mark3labs/mcp-go/mcp"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

var mutatingTools = []string{"apply_kubernetes_manifest", "patch_kubernetes_resource", "delete_kubernetes_resource"}

// TestKubernetesToolsOverStdio drives every generic tool as an assistant would, through the binary.
func TestKubernetesToolsOverStdio(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "kubetools")
	cl := stdioClient(t, c, "serve")
	ok := func(name string, args map[string]any) (string, map[string]any) {
		t.Helper()
		res := call(t, cl, name, args)
		if res.IsError {
			t.Fatalf("%s %v: %s", name, args, text(res))
		}
		raw, _ := json.Marshal(res.StructuredContent)
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		return text(res), m
	}
	manifest := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata: {k: w}\n"
	txt, _ := ok("apply_kubernetes_manifest", map[string]any{"manifest": manifest, "namespace": ns, "dry_run": true})
	if txt != fmt.Sprintf("%[1]s/configmap/a created (server dry run)\n%[1]s/configmap/b created (server dry run)\n", ns) {
		t.Errorf("apply dry run text: %q", txt)
	}
	ok("apply_kubernetes_manifest", map[string]any{"manifest": manifest, "namespace": ns})
	txt, m := ok("get_kubernetes_resources", map[string]any{"kind": "cm", "namespace": ns, "fields": []string{".data.k"}, "limit": 1})
	items := m["items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["values"].([]any)[0] != "v" || m["truncated"] != true || !strings.Contains(txt, "continue=") {
		t.Errorf("get page 1: %s\n%v", txt, m)
	}
	txt, _ = ok("get_kubernetes_resources", map[string]any{"kind": "cm", "namespace": ns, "continue": m["continue"]})
	if !strings.Contains(txt, "configmap/b") || strings.Contains(txt, "configmap/a ") {
		t.Errorf("get page 2: %s", txt)
	}
	if txt, _ = ok("patch_kubernetes_resource", map[string]any{"kind": "cm", "name": "a", "namespace": ns, "type": "json", "patch": `[{"op":"add","path":"/data/x","value":"y"}]`}); !strings.Contains(txt, "patched") {
		t.Errorf("patch: %s", txt)
	}
	ok("delete_kubernetes_resource", map[string]any{"kind": "configmap", "name": "b", "namespace": ns})
	if _, err := c.Kube.CoreV1().ConfigMaps(ns).Get(context.Background(), "b", metav1.GetOptions{}); err == nil {
		t.Error("b still exists after delete")
	}
	if cm, _ := c.Kube.CoreV1().ConfigMaps(ns).Get(context.Background(), "a", metav1.GetOptions{}); cm == nil || cm.Data["x"] != "y" {
		t.Errorf("patch did not land: %+v", cm)
	}
	if txt, _ = ok("get_kubernetes_api_resources", map[string]any{"api_group": "kustomize.toolkit.fluxcd.io"}); !strings.Contains(txt, "kustomizations") {
		t.Errorf("api resources: %s", txt)
	}
	if txt, _ = ok("list_kubernetes_contexts", nil); !strings.Contains(txt, "*") || !strings.Contains(txt, "envtest") {
		t.Errorf("contexts: %s", txt)
	}
	// Errors are one actionable line.
	res := call(t, cl, "get_kubernetes_resources", map[string]any{"kind": "widgets"})
	if !res.IsError || !strings.Contains(text(res), `the server doesn't have a resource type "widgets"`) {
		t.Errorf("unknown kind: %s", text(res))
	}
}

func TestReadOnlyHidesAndRefusesMutatingTools(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "readonly")
	cl := stdioClient(t, c, "serve", "--read-only")
	list, err := cl.ListTools(context.Background(), mcpgo.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, tool := range list.Tools {
		listed[tool.Name] = true
		if !*tool.Annotations.ReadOnlyHint {
			t.Errorf("--read-only lists %s, which is not read-only", tool.Name)
		}
	}
	if !listed["get_kubernetes_resources"] || !listed["list_kubernetes_contexts"] {
		t.Errorf("read tools missing: %v", listed)
	}
	args := map[string]map[string]any{
		"apply_kubernetes_manifest":  {"manifest": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n", "namespace": ns},
		"patch_kubernetes_resource":  {"kind": "ns", "name": ns, "patch": `{"metadata":{"labels":{"a":"b"}}}`},
		"delete_kubernetes_resource": {"kind": "ns", "name": ns},
	}
	for _, name := range mutatingTools {
		if listed[name] {
			t.Errorf("--read-only lists %s", name)
		}
		res := call(t, cl, name, args[name])
		if !res.IsError || !strings.Contains(text(res), name+" is refused: the server runs with --read-only") {
			t.Errorf("%s: isError=%v %q", name, res.IsError, text(res))
		}
	}
	got, err := c.Kube.CoreV1().Namespaces().Get(context.Background(), ns, metav1.GetOptions{})
	if err != nil || got.DeletionTimestamp != nil || got.Labels["a"] == "b" {
		t.Errorf("a refused call changed the cluster: %v %+v", err, got)
	}
}
