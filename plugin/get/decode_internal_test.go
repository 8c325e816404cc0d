package get

import (
	"testing"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
)

// The lean decoder keeps the fields of Flux Operator's kinds (suspend by annotation), drops the
// rest, and types whole numbers as the unstructured decoder types them. The test cluster serves
// these kinds too: TestGetShowsEveryKindsColumns reads them through both decoders.
func TestLeanDecodeKeepsAnnotationSuspendAndNumbers(t *testing.T) {
	k, err := fluxkinds.Lookup("FluxInstance")
	if err != nil {
		t.Fatal(err)
	}
	list := `{"kind":"FluxInstanceList","items":[{"apiVersion":"fluxcd.controlplane.io/v1","kind":"FluxInstance",
		"metadata":{"name":"flux","namespace":"flux-system","generation":3,"creationTimestamp":"2026-01-02T03:04:05Z",
		"annotations":{"fluxcd.controlplane.io/reconcile":"disabled","big":"ignored"}},
		"spec":{"distribution":{"version":"2.x"}},
		"status":{"lastAppliedRevision":"v2.9.5@sha256:abc","conditions":[{"type":"Ready","status":"False","reason":"Failed","message":"m","observedGeneration":3}]}}],
		"metadata":{"continue":"next-page"}}`
	objs, next, err := newItemDecoder(k).decode([]byte(list), nil)
	if err != nil || len(objs) != 1 || next != "next-page" {
		t.Fatalf("decode: %v %d %q", err, len(objs), next)
	}
	it := NewItem(k, &objs[0])
	if !it.Suspended || it.Revision != "v2.9.5@sha256:abc" || it.Ready != "False" || it.CreationTimestamp != "2026-01-02T03:04:05Z" ||
		it.APIVersion != "fluxcd.controlplane.io/v1" || it.Namespace != "flux-system" {
		t.Fatalf("item = %+v", it)
	}
	if g := objs[0].GetGeneration(); g != 3 {
		t.Errorf("generation = %d", g)
	}
	if _, ok := objs[0].GetAnnotations()["big"]; ok || objs[0].Object["spec"] != nil {
		t.Errorf("fields outside Fields were kept: %v", objs[0].Object)
	}
	if _, _, err := newItemDecoder(k).decode([]byte(`{"kind":"Status","items":[]}`), nil); err == nil {
		t.Errorf("a Status answer must not decode as an empty list")
	}
}
