package main

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

const scDecode = "where a list's time goes: fetch vs decode (in process, 1 list of Kustomizations)"

// minimalKustomization holds only what `get` shows of a Kustomization: a decode target that
// skips the rest of each object (inventory, spec) instead of building maps for it.
type minimalKustomization struct {
	Metadata struct {
		Name              string `json:"name"`
		Namespace         string `json:"namespace"`
		CreationTimestamp string `json:"creationTimestamp"`
		Generation        int64  `json:"generation"`
	} `json:"metadata"`
	Spec struct {
		Suspend   bool `json:"suspend"`
		SourceRef struct {
			Kind, Name, Namespace string
		} `json:"sourceRef"`
	} `json:"spec"`
	Status struct {
		Conditions []struct {
			Type, Status, Reason, Message string
			ObservedGeneration            int64 `json:"observedGeneration"`
		} `json:"conditions"`
		LastAppliedRevision    string `json:"lastAppliedRevision"`
		LastHandledReconcileAt string `json:"lastHandledReconcileAt"`
	} `json:"status"`
}

// decodeCost splits the raw list into its parts: the request alone (API server, transfer), the
// decode into unstructured maps that the dynamic client does (what get does today), and the
// decode into a struct of the shown fields. Each row's note gives the heap allocated per list.
func (b *bench) decodeCost(ctx context.Context, size int) *Scenario {
	sc := &Scenario{Name: scDecode, Size: size}
	rc := b.cluster.Kube.Discovery().RESTClient()
	g := b.ksGVR
	fetch := func() ([]byte, error) {
		return rc.Get().AbsPath("/apis", g.Group, g.Version, g.Resource).DoRaw(ctx)
	}
	raw, err := fetch()
	if err != nil {
		return &Scenario{Name: scDecode, Size: size, Rows: []*Row{{Name: "fetch", Err: err.Error()}}}
	}
	unstr := b.timeAlloc("decode into unstructured (dynamic client, today)", true, func() error {
		var l unstructured.UnstructuredList
		return l.UnmarshalJSON(raw)
	})
	minimal := b.timeAlloc("decode into a struct of the shown fields", false, func() error {
		var l struct {
			Items []minimalKustomization `json:"items"`
		}
		return json.Unmarshal(raw, &l)
	})
	get := b.timeAlloc("GET the list, read the bytes, no decode", false, func() error {
		_, err := fetch()
		return err
	})
	get.OutputBytes = int64(len(raw))
	sc.Rows = []*Row{unstr, minimal, get}
	return sc
}

// timeAlloc is timeFunc with the heap allocated by one call in the row's note.
func (b *bench) timeAlloc(name string, ours bool, f func() error) *Row {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	err := f()
	runtime.ReadMemStats(&after)
	row := b.timeFunc(name, ours, func() (int64, error) { return 0, f() })
	if err == nil {
		row.addNote(fmt.Sprintf("%s allocated per list", human(int64(after.TotalAlloc-before.TotalAlloc))))
	}
	return row
}
