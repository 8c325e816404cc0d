// Package reconcile asks Flux controllers to reconcile objects now and waits until they have: the
// operation behind `kubectl flux-mcp reconcile` and the MCP tool reconcile_flux_resource. Its
// selection, request and wait are shared with suspend and resume.
package reconcile

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/progress"
)

// DefaultTimeout is how long one reconciliation is waited for, as in the flux CLI.
const DefaultTimeout = 5 * time.Minute

// Options are the inputs of a reconcile.
type Options struct {
	// Kind is a reconcilable Flux kind in any of its names.
	Kind string
	Selection
	// Namespace of the objects; "" means the context's namespace.
	Namespace string
	// WithSource reconciles each object's source first and waits for its new artifact.
	WithSource bool
	// Force (HelmRelease) makes helm-controller run a one-off install or upgrade.
	Force bool
	// Reset (HelmRelease) clears the failure counts so that remediation starts over.
	Reset bool
	// Timeout bounds the wait for each reconciliation; 0 means DefaultTimeout.
	Timeout time.Duration
	// NoWait only sets the annotation.
	NoWait bool
	// Context is the kubeconfig context; "" means the current one.
	Context string
	// Reporter hears the steps as they happen; nil hears nothing.
	Reporter progress.Reporter

	clients *cluster.Clients
	kind    fluxkinds.Kind
}

// Complete resolves the context's clients, the namespace and the kind.
func (o *Options) Complete(c *cluster.Cache) error {
	cl, err := c.ForNamespace(o.Context, &o.Namespace, false)
	if err != nil {
		return err
	}
	o.clients = cl
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	if strings.TrimSpace(o.Kind) == "" {
		return errors.New("a kind is required: one of " + strings.Join(ReconcilableNames(), ", "))
	}
	o.kind, err = fluxkinds.Lookup(o.Kind)
	return err
}

// Validate rejects what cannot be done before anything is sent.
func (o *Options) Validate() error {
	if !o.kind.Reconcilable {
		return fmt.Errorf("%s cannot be reconciled: it has no reconcile loop; reconcilable kinds: %s", o.kind.Kind, strings.Join(ReconcilableNames(), ", "))
	}
	if err := o.Selection.Validate(); err != nil {
		return err
	}
	if (o.Force || o.Reset) && o.kind.Kind != "HelmRelease" {
		return fmt.Errorf("--force and --reset apply to HelmRelease only, not %s", o.kind.Kind)
	}
	if o.Timeout < 0 {
		return fmt.Errorf("invalid timeout %s: it must be positive", o.Timeout)
	}
	return nil
}

// ReconcilableNames lists the kinds that can be reconciled, for messages.
func ReconcilableNames() []string {
	var out []string
	for _, k := range fluxkinds.All() {
		if k.Reconcilable {
			out = append(out, k.Kind)
		}
	}
	return out
}
