package parsefuzz

import (
	"bytes"
	"strings"
	"testing"

	"k8s.io/client-go/util/jsonpath"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/kube"
)

// FuzzParseManifest: any text is either non-empty objects or one error; never a panic. Whether an
// object has a kind and a name is checked later, by plugin/kube's resolveDocuments, with the document's number.
func FuzzParseManifest(f *testing.F) {
	for _, seed := range []string{
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: b}\nstringData: {k: v}\n",
		"apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n",
		`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"j"}}`,
		"---\n---\n", "", "{{{", "[[[[[[", "kind: 5\napiVersion: [x]\n", "apiVersion: v1\nkind: List\nitems: 7\n",
		"a: &x [*x]\n", "\x00\xff\ufeff", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \"caf\u00e9\"}\n---\n{",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, manifest string) {
		objs, err := kube.ParseManifest(manifest)
		if err != nil {
			if strings.TrimSpace(err.Error()) == "" {
				t.Fatal("empty error")
			}
			return
		}
		if len(objs) == 0 {
			t.Fatalf("no error and no object for %q", manifest)
		}
		for _, o := range objs {
			if o == nil || len(o.Object) == 0 {
				t.Fatalf("empty object from %q", manifest)
			}
		}
	})
}

// FuzzParseJSONPath: a field either fails to parse or projects any object without a panic.
func FuzzParseJSONPath(f *testing.F) {
	for _, seed := range []string{".metadata.name", "{.status.conditions[?(@.type==\"Ready\")].status}", "{..password}",
		"{.data['values\\.yaml']}", "{range .items[*]}{.name}{end}", "{.a[", "{end}", "{{}}", "{.a[-1:]}", "{.a[0:99999999999]}", "{@}", ""} {
		f.Add(seed)
	}
	obj := map[string]any{"metadata": map[string]any{"name": "x", "labels": map[string]any{"a": "b"}},
		"data": map[string]any{"values.yaml": "v", "password": "p"}, "a": []any{int64(1), "two", map[string]any{"b": nil}},
		"status": map[string]any{"conditions": []any{map[string]any{"type": "Ready", "status": "True"}}}}
	f.Fuzz(func(t *testing.T, field string) {
		p, err := kube.ParseJSONPath(field)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		_ = p.Execute(&buf, obj)
		_ = kube.Project([]*jsonpath.JSONPath{p}, obj)
	})
}
