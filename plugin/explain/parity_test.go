package explain

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/openapi"

	cachedopenapi "k8s.io/client-go/openapi/cached"
	explainv2 "k8s.io/kubectl/pkg/explain/v2"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
)

// TestRenderMatchesKubectl prints every Flux kind, every field down to three levels and a
// missing field with our renderer and with kubectl's (only linked into this test), and wants the
// same text and the same errors: the renderer replaces kubectl's template and must not drift.
func TestRenderMatchesKubectl(t *testing.T) {
	c := testcluster.Get(t)
	cl, err := testcluster.Cache(c.Kubeconfig).For("")
	if err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, k := range fluxkinds.All() {
		mapping, err := cl.ResolveKind(k)
		if err != nil {
			t.Fatalf("%s: %v", k.Kind, err)
		}
		gvr := mapping.Resource
		client := cachedopenapi.NewClient(cl.Kube.Discovery().OpenAPIV3())
		// A fresh test server publishes the CRD schemas a moment after the CRDs are created.
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
			paths, err := client.Paths()
			if err == nil {
				if _, ok := paths["apis/"+gvr.GroupVersion().String()]; ok {
					break
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: schema not published: %v", k.Kind, err)
			}
			client = cachedopenapi.NewClient(cl.Kube.Discovery().OpenAPIV3())
		}
		fieldPaths := [][]string{nil, {"nope"}, {"spec", "nope"}}
		fieldPaths = append(fieldPaths, fieldsOf(t, client, gvr, k.Kind, 3)...)
		for _, fields := range fieldPaths {
			for _, recursive := range []bool{false, true} {
				var ours, theirs bytes.Buffer
				errOurs := printModelDescription(fields, &ours, client, gvr, recursive)
				errTheirs := explainv2.PrintModelDescription(fields, &theirs, client, gvr, recursive, 0, "plaintext")
				if fmt.Sprint(errOurs) != fmt.Sprint(errTheirs) {
					t.Errorf("%s %v recursive=%v: error %v, kubectl %v", k.Kind, fields, recursive, errOurs, errTheirs)
				}
				if ours.String() != theirs.String() {
					t.Errorf("%s %v recursive=%v: text differs\n--- ours\n%s\n--- kubectl\n%s", k.Kind, fields, recursive, ours.String(), theirs.String())
				}
				compared++
			}
		}
	}
	if compared < 100 {
		t.Errorf("compared only %d renderings", compared)
	}
}

// fieldsOf lists the field paths of a kind down to depth: every property of every object reached
// through references, array items, map values and allOf.
func fieldsOf(t *testing.T, client openapi.Client, gvr schema.GroupVersionResource, kind string, depth int) [][]string {
	t.Helper()
	paths, err := client.Paths()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := paths["apis/"+gvr.GroupVersion().String()].Schema(runtime.ContentTypeJSON)
	if err != nil {
		t.Fatal(err)
	}
	r := &renderer{}
	if err := json.Unmarshal(raw, &r.doc); err != nil {
		t.Fatal(err)
	}
	var out [][]string
	var walk func(s map[string]any, prefix []string)
	walk = func(s map[string]any, prefix []string) {
		s = r.resolve(refOf(s), s)
		if len(prefix) >= depth {
			return
		}
		props := asMap(s["properties"])
		for _, name := range sortedKeys(props) {
			p := append(append([]string(nil), prefix...), name)
			out = append(out, p)
			walk(asMap(props[name]), p)
		}
		for _, alt := range asList(s["allOf"]) {
			walk(asMap(alt), prefix)
		}
		if truthy(s["items"]) {
			walk(asMap(s["items"]), prefix)
		}
		if isSchema(s["additionalProperties"]) {
			walk(asMap(s["additionalProperties"]), prefix)
		}
	}
	schemas := asMap(index(r.doc, "components", "schemas"))
	for _, name := range sortedKeys(schemas) {
		for _, gvk := range asList(index(schemas[name], "x-kubernetes-group-version-kind")) {
			if str(index(gvk, "kind")) == kind && str(index(gvk, "version")) == gvr.Version {
				walk(asMap(schemas[name]), nil)
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s: no fields found in the schema", kind)
	}
	return out
}
