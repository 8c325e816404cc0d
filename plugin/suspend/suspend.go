// Package suspend stops and restarts the reconciliation of Flux objects: the operations behind
// `kubectl flux-mcp suspend` and `resume` and the MCP tools suspend_flux_resource and
// resume_flux_resource. Toolkit kinds are switched by spec.suspend, Flux Operator kinds by their
// fluxcd.controlplane.io/reconcile annotation. Resume then requests a reconcile and waits for it
// with the reconcile package, as the flux CLI does.
package suspend

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/progress"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/reconcile"
)

// Options are the inputs of a suspend or a resume.
type Options struct {
	// Kind is a suspendable Flux kind in any of its names.
	Kind string
	reconcile.Selection
	// Namespace of the objects; "" means the context's namespace.
	Namespace string
	// Resume restarts reconciliation instead of stopping it.
	Resume bool
	// Timeout bounds the wait for the reconciliation that follows a resume; 0 means 5m.
	Timeout time.Duration
	// NoWait resumes without waiting for the reconciliation.
	NoWait bool
	// Context is the kubeconfig context; "" means the current one.
	Context string
	// Reporter hears the steps as they happen; nil hears nothing.
	Reporter progress.Reporter

	clients *cluster.Clients
	kind    fluxkinds.Kind
}

func (o *Options) action() string {
	if o.Resume {
		return "resume"
	}
	return "suspend"
}

func (o *Options) pastTense() string {
	if o.Resume {
		return "resumed"
	}
	return "suspended"
}

// Complete resolves the context's clients, the namespace and the kind.
func (o *Options) Complete(c *cluster.Cache) error {
	cl, err := c.ForNamespace(o.Context, &o.Namespace, false)
	if err != nil {
		return err
	}
	o.clients = cl
	if o.Timeout == 0 {
		o.Timeout = reconcile.DefaultTimeout
	}
	if strings.TrimSpace(o.Kind) == "" {
		return errors.New("a kind is required: one of " + strings.Join(SuspendableNames(), ", "))
	}
	o.kind, err = fluxkinds.Lookup(o.Kind)
	return err
}

// Validate rejects what cannot be done before anything is sent.
func (o *Options) Validate() error {
	if o.kind.Suspend == fluxkinds.NotSuspendable {
		return fmt.Errorf("%s cannot be %s: it has no suspend switch; kinds that do: %s", o.kind.Kind, o.pastTense(), strings.Join(SuspendableNames(), ", "))
	}
	if o.Timeout < 0 {
		return fmt.Errorf("invalid timeout %s: it must be positive", o.Timeout)
	}
	return o.Selection.Validate()
}

// Run switches every selected object, several at once, and after a resume waits for each
// reconciliation. Per-object failures are in the Result (see Result.Err).
func (o *Options) Run(ctx context.Context) (*reconcile.Result, error) {
	targets, err := reconcile.Select(ctx, o.clients, o.kind, o.Namespace, o.Selection)
	if err != nil {
		return nil, err
	}
	rep := progress.Or(o.Reporter)
	res := &reconcile.Result{Action: o.action(), Namespace: o.Namespace}
	res.Items = reconcile.ForEach(ctx, targets, func(ctx context.Context, t reconcile.Target) reconcile.Item {
		if o.Resume {
			return o.resume(ctx, rep, t)
		}
		return o.suspend(ctx, rep, t)
	})
	res.Summarise()
	return res, nil
}

func (o *Options) suspend(ctx context.Context, rep progress.Reporter, t reconcile.Target) reconcile.Item {
	if t.Kind.Suspended(t.Object) {
		// Already suspended: nothing to write, and nothing changed.
		it := reconcile.NewItem(t.Kind, t.Object)
		it.Outcome = reconcile.Succeeded
		rep.Success(t.Ref() + " is already suspended")
		return it
	}
	return write(ctx, rep, t, switchPatch(t.Kind, false), "suspending", "suspended")
}

// write applies a suspend or resume patch that has no reconciliation to wait for, and reports it.
func write(ctx context.Context, rep progress.Reporter, t reconcile.Target, p reconcile.Patch, doing, done string) reconcile.Item {
	ref := t.Ref()
	rep.Step(doing + " " + ref)
	patched, err := reconcile.Apply(ctx, t.Client, t.Object.GetName(), p)
	if err != nil {
		it := reconcile.NewItem(t.Kind, t.Object)
		it.Fail(err)
		rep.Failure(ref + ": " + it.Error)
		return it
	}
	it := reconcile.NewItem(t.Kind, patched)
	it.Outcome, it.Changed = reconcile.Succeeded, true
	rep.Success(ref + " " + done)
	return it
}

func (o *Options) resume(ctx context.Context, rep progress.Reporter, t reconcile.Target) reconcile.Item {
	p := switchPatch(t.Kind, true)
	if !t.Kind.Reconcilable {
		// Alerts and Providers have no reconcile loop to wait for.
		return write(ctx, rep, t, p, "resuming", "resumed")
	}
	value := reconcile.Now()
	if p.Annotations == nil {
		p.Annotations = map[string]string{}
	}
	p.Annotations[reconcile.RequestedAtAnnotation] = value
	return reconcile.Request(ctx, rep, t, p, reconcile.Await{Value: value, NoWait: o.NoWait, Timeout: o.Timeout, Doing: "resuming", Done: "resumed"})
}

// switchPatch sets the kind's suspend switch: spec.suspend for the toolkit, the reconcile
// annotation for the Flux Operator. Resume sets spec.suspend to false rather than removing it,
// as the flux CLI does.
func switchPatch(k fluxkinds.Kind, resume bool) reconcile.Patch {
	if k.Suspend == fluxkinds.SuspendByAnnotation {
		v := fluxkinds.OperatorReconcileDisabled
		if resume {
			v = fluxkinds.OperatorReconcileEnabled
		}
		return reconcile.Patch{Annotations: map[string]string{fluxkinds.OperatorReconcileAnnotation: v}}
	}
	return reconcile.Patch{Spec: map[string]any{"suspend": !resume}}
}

// SuspendableNames lists the kinds that can be suspended, for messages and completion.
func SuspendableNames() []string {
	var out []string
	for _, k := range fluxkinds.All() {
		if k.Suspend != fluxkinds.NotSuspendable {
			out = append(out, k.Kind)
		}
	}
	return out
}
