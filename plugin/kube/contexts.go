package kube

import (
	"context"
	"sort"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
)

// ContextsOptions lists the contexts of the kubeconfig, as `kubectl config get-contexts`.
type ContextsOptions struct {
	cache *cluster.Cache
}

// ContextsResult lists the contexts; credentials are never part of it.
type ContextsResult struct {
	Current  string        `json:"current" jsonschema:"The context tools use when none is given"`
	Contexts []ContextInfo `json:"contexts"`
}

// ContextInfo is one kubeconfig context: where it points, never how it authenticates.
type ContextInfo struct {
	Name      string `json:"name"`
	Current   bool   `json:"current"`
	Cluster   string `json:"cluster"`
	Server    string `json:"server,omitempty"`
	User      string `json:"user" jsonschema:"Name of the kubeconfig user entry (not its credentials)"`
	Namespace string `json:"namespace,omitempty"`
}

// Complete keeps the cache: the kubeconfig is read in Run.
func (o *ContextsOptions) Complete(c *cluster.Cache) error {
	o.cache = c
	return nil
}

// Validate has nothing to check.
func (o *ContextsOptions) Validate() error { return nil }

// Run reads the kubeconfig (all files of KUBECONFIG, merged as kubectl does).
func (o *ContextsOptions) Run(context.Context) (*ContextsResult, error) {
	raw, err := o.cache.Flags().ToRawKubeConfigLoader().RawConfig()
	if err != nil {
		return nil, cluster.Explain(err)
	}
	res := &ContextsResult{Current: raw.CurrentContext, Contexts: []ContextInfo{}}
	if f := o.cache.Flags().Context; f != nil && *f != "" {
		res.Current = *f
	}
	for name, c := range raw.Contexts {
		info := ContextInfo{Name: name, Current: name == res.Current, Cluster: c.Cluster, User: c.AuthInfo, Namespace: c.Namespace}
		if cl, ok := raw.Clusters[c.Cluster]; ok {
			info.Server = cl.Server
		}
		res.Contexts = append(res.Contexts, info)
	}
	sort.Slice(res.Contexts, func(i, j int) bool { return res.Contexts[i].Name < res.Contexts[j].Name })
	return res, nil
}
