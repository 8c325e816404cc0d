package tools

import (
	"fmt"
	"time"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/reconcile"
)

// selectionArgs are the arguments that pick objects, shared by the reconcile, suspend and resume
// tools.
type selectionArgs struct {
	Kind          string   `json:"kind"`
	Name          string   `json:"name,omitempty"`
	Names         []string `json:"names,omitempty"`
	Namespace     string   `json:"namespace,omitempty"`
	All           bool     `json:"all,omitempty"`
	LabelSelector string   `json:"label_selector,omitempty"`
	Context       string   `json:"context,omitempty"`
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
	Timeout string `json:"timeout,omitempty"`
	Wait    *bool  `json:"wait,omitempty" jsonschema:"false: only request it"`
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
