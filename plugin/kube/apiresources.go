package kube

import (
	"context"
	"errors"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/discovery"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
)

// APIResourcesOptions are the inputs of an API resource listing, as `kubectl api-resources`.
type APIResourcesOptions struct {
	// APIGroup keeps only one group ("" for all; "core" for the legacy group).
	APIGroup string
	Context  string

	clients *cluster.Clients
}

// APIResourcesResult lists the kinds the cluster serves, at their preferred versions.
type APIResourcesResult struct {
	Resources []APIResource `json:"resources"`
	// FailedGroups are groups whose discovery failed (an aggregated API that is down); the others are listed.
	FailedGroups []string `json:"failedGroups,omitempty" jsonschema:"API groups whose discovery failed; their kinds are missing"`
}

// APIResource is one kind the cluster serves.
type APIResource struct {
	Name       string   `json:"name" jsonschema:"Plural resource name, as used in URLs and by kubectl"`
	ShortNames []string `json:"shortNames,omitempty"`
	APIVersion string   `json:"apiVersion"`
	Namespaced bool     `json:"namespaced"`
	Kind       string   `json:"kind"`
	Verbs      []string `json:"verbs"`
}

// Complete resolves the context.
func (o *APIResourcesOptions) Complete(c *cluster.Cache) error {
	cl, err := c.For(o.Context)
	o.clients = cl
	return err
}

// Validate has nothing to check: any group name is a filter.
func (o *APIResourcesOptions) Validate() error { return nil }

// Run reads discovery afresh, so that newly installed CRDs show.
func (o *APIResourcesOptions) Run(ctx context.Context) (*APIResourcesResult, error) {
	o.clients.Discovery.Invalidate()
	lists, err := discovery.ServerPreferredResources(o.clients.Discovery)
	res := &APIResourcesResult{Resources: []APIResource{}}
	if err != nil {
		var failed *discovery.ErrGroupDiscoveryFailed
		if !errors.As(err, &failed) || len(lists) == 0 {
			return nil, cluster.Explain(err)
		}
		for gv := range failed.Groups {
			res.FailedGroups = append(res.FailedGroups, gv.String())
		}
		sort.Strings(res.FailedGroups)
	}
	want := strings.ToLower(o.APIGroup)
	if want == "core" {
		want = ""
	}
	for _, l := range lists {
		gv, err := schema.ParseGroupVersion(l.GroupVersion)
		if err != nil || (o.APIGroup != "" && gv.Group != want) {
			continue
		}
		for _, r := range l.APIResources {
			if strings.Contains(r.Name, "/") {
				continue // subresources such as pods/log are not kinds
			}
			res.Resources = append(res.Resources, APIResource{Name: r.Name, ShortNames: r.ShortNames, APIVersion: l.GroupVersion,
				Namespaced: r.Namespaced, Kind: r.Kind, Verbs: r.Verbs})
		}
	}
	sort.Slice(res.Resources, func(i, j int) bool {
		a, b := res.Resources[i], res.Resources[j]
		ga, gb := groupOf(a.APIVersion), groupOf(b.APIVersion)
		if ga != gb {
			return ga < gb
		}
		return a.Name < b.Name
	})
	return res, nil
}

func groupOf(apiVersion string) string {
	gv, _ := schema.ParseGroupVersion(apiVersion)
	return gv.Group
}
