package tools

import (
	"fmt"
	"time"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/reconcile"
)

// selectionArgs are the arguments that pick objects, shared by the reconcile, suspend and resume
// tools.
type selectionArgs struct {
	Kind          string   `json:"kind" jsonschema:"Flux kind by name, plural or short name, e.g. Kustomization, ks, HelmRelease, hr, GitRepository, OCIRepository, HelmChart, ResourceSet"`
	Name          string   `json:"name,omitempty" jsonschema:"Name of one object"`
	Names         []string `json:"names,omitempty" jsonschema:"Names of several objects"`
	Namespace     string   `json:"namespace,omitempty" jsonschema:"Namespace; omit for the context's default namespace"`
	All           bool     `json:"all,omitempty" jsonschema:"Every object of the kind in the namespace"`
	LabelSelector string   `json:"label_selector,omitempty" jsonschema:"Objects matching this label selector, e.g. team=payments"`
	Context       string   `json:"context,omitempty" jsonschema:"Kubeconfig context; omit for the current context"`
}

func (a selectionArgs) selection() reconcile.Selection {
	s := reconcile.Selection{All: a.All, LabelSelector: a.LabelSelector}
	if a.Name != "" {
		s.Names = append(s.Names, a.Name)
	}
	s.Names = append(s.Names, a.Names...)
	return s
}

// waitArgs say whether and how long to wait for reconciliations.
type waitArgs struct {
	Timeout string `json:"timeout,omitempty" jsonschema:"How long to wait for each reconciliation, as a duration such as 30s or 2m; default 5m"`
	Wait    *bool  `json:"wait,omitempty" jsonschema:"Wait until the controller has reconciled (default true); false only requests it"`
}

func (a waitArgs) noWait() bool { return a.Wait != nil && !*a.Wait }

func (a waitArgs) timeout() (time.Duration, error) {
	if a.Timeout == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(a.Timeout)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("invalid timeout %q: give a positive duration such as 30s, 2m or 1h", a.Timeout)
	}
	return d, nil
}
