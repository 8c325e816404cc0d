// Package stats counts the Flux objects per kind: how many there are, ready, failing and suspended,
// and how much artifact storage the sources hold. It is the operation behind `kubectl flux-mcp
// stats` and the MCP tool get_flux_stats.
package stats

import (
	"context"
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/get"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/output"
)

// Options are the inputs of stats.
type Options struct {
	Namespace     string
	AllNamespaces bool
	Context       string

	list *get.Options
}

// Result holds one row per installed Flux kind.
type Result struct {
	Kinds []KindStats `json:"kinds"`
	// Namespace is the namespace counted; empty for all namespaces.
	Namespace    string   `json:"namespace,omitempty"`
	NotInstalled []string `json:"notInstalled,omitempty"`
}

// KindStats are the counts of one kind.
type KindStats struct {
	Kind      string `json:"kind"`
	Total     int    `json:"total"`
	Ready     int    `json:"ready" jsonschema:"Objects whose Ready condition is True"`
	Failing   int    `json:"failing" jsonschema:"Objects whose Ready condition is False"`
	Suspended int    `json:"suspended"`
	// StorageBytes is the sum of status.artifact.size; set only for kinds that store artifacts.
	StorageBytes *int64 `json:"storageBytes,omitempty" jsonschema:"Sum of status.artifact.size in bytes, for source kinds only"`
}

// Complete resolves the context and namespace through the get operation, which does the listing.
func (o *Options) Complete(c *cluster.Cache) error {
	o.list = &get.Options{Kind: get.AllKinds, Namespace: o.Namespace, AllNamespaces: o.AllNamespaces, Context: o.Context}
	return o.list.Complete(c)
}

// Validate checks the inputs (all optional).
func (o *Options) Validate() error { return o.list.Validate() }

// Run lists every Flux kind (one list call per kind, concurrently) and counts.
func (o *Options) Run(ctx context.Context) (*Result, error) {
	listed, err := o.list.Run(ctx)
	if err != nil {
		return nil, err
	}
	res := &Result{Kinds: []KindStats{}, Namespace: listed.Namespace, NotInstalled: listed.NotInstalled}
	notInstalled := map[string]bool{}
	for _, k := range listed.NotInstalled {
		notInstalled[k] = true
	}
	byKind := map[string]*KindStats{}
	for _, k := range fluxkinds.All() {
		if notInstalled[k.Kind] {
			continue
		}
		res.Kinds = append(res.Kinds, KindStats{Kind: k.Kind})
		if stores(k) {
			res.Kinds[len(res.Kinds)-1].StorageBytes = new(int64)
		}
	}
	for i := range res.Kinds {
		byKind[res.Kinds[i].Kind] = &res.Kinds[i]
	}
	for _, it := range listed.Items {
		s := byKind[it.Kind]
		if s == nil {
			continue
		}
		s.Total++
		switch it.Ready {
		case "True":
			s.Ready++
		case "False":
			s.Failing++
		}
		if it.Suspended {
			s.Suspended++
		}
		if s.StorageBytes != nil {
			*s.StorageBytes += artifactSize(it.Object())
		}
	}
	return res, nil
}

// stores says whether a kind keeps an artifact in source-controller's storage.
func stores(k fluxkinds.Kind) bool { return k.Group == fluxkinds.SourceGroup }

func artifactSize(obj *unstructured.Unstructured) int64 {
	if obj == nil {
		return 0
	}
	switch n, _, _ := unstructured.NestedFieldNoCopy(obj.Object, "status", "artifact", "size"); n := n.(type) {
	case int64:
		return n
	case float64:
		return int64(n)
	}
	return 0
}

// Table renders the counts for people and models.
func (r *Result) Table() output.Table {
	t := output.Table{Columns: []output.Column{{Header: "kind"}, {Header: "total"}, {Header: "ready"},
		{Header: "failing"}, {Header: "suspended"}, {Header: "storage"}}}
	for _, k := range r.Kinds {
		storage := ""
		if k.StorageBytes != nil {
			storage = HumanBytes(*k.StorageBytes)
		}
		t.Rows = append(t.Rows, []string{k.Kind, fmt.Sprint(k.Total), fmt.Sprint(k.Ready), fmt.Sprint(k.Failing),
			fmt.Sprint(k.Suspended), storage})
	}
	return t
}

// Text is the table, plus the kinds that are not installed.
func (r *Result) Text() string {
	s := r.Table().String()
	if len(r.NotInstalled) > 0 {
		s += fmt.Sprintf("not installed: %s\n", strings.Join(r.NotInstalled, ", "))
	}
	return s
}

// HumanBytes renders a size in binary units: 512 B, 2.0 KiB, 1.5 MiB.
func HumanBytes(n int64) string {
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	units := []string{"KiB", "MiB", "GiB", "TiB"}
	f := float64(n) / 1024
	i := 0
	for f >= 1024 && i < len(units)-1 {
		f /= 1024
		i++
	}
	return fmt.Sprintf("%.1f %s", f, units[i])
}
