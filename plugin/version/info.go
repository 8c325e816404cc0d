package version

import (
	"context"
	"fmt"

	fluxmanifest "github.com/fluxcd/flux2/v2/pkg/manifestgen"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
)

// Options are the inputs of the version operation.
type Options struct {
	// ClientOnly skips the cluster.
	ClientOnly bool
	// FluxNamespace is where Flux is installed (its namespace carries the version label).
	FluxNamespace string
	Context       string

	clients *cluster.Clients
}

// Result holds the versions found.
type Result struct {
	Plugin string `json:"plugin"`
	Server string `json:"server,omitempty"`
	// Flux is the installed Flux distribution version, from the labels its install manifests set.
	Flux string `json:"flux,omitempty"`
}

// Complete finds the clients unless only the plugin version is wanted.
func (o *Options) Complete(c *cluster.Cache) error {
	if o.FluxNamespace == "" {
		o.FluxNamespace = "flux-system"
	}
	if o.ClientOnly {
		return nil
	}
	cl, err := c.For(o.Context)
	o.clients = cl
	return err
}

// Validate has nothing to check: every input is optional.
func (o *Options) Validate() error { return nil }

var crdGVR = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}

// Run reads the versions. The plugin version is always in the result, also when the server fails.
func (o *Options) Run(ctx context.Context) (*Result, error) {
	res := &Result{Plugin: Get()}
	if o.ClientOnly {
		return res, nil
	}
	sv, err := o.clients.Kube.Discovery().ServerVersion()
	if err != nil {
		return res, o.clients.ExplainDiscovery(err)
	}
	res.Server = sv.GitVersion
	res.Flux, err = o.fluxVersion(ctx)
	return res, err
}

// fluxVersion reads the version label that Flux's install manifests put on the namespace and on
// the CRDs; "" when Flux is not installed or carries no label.
func (o *Options) fluxVersion(ctx context.Context) (string, error) {
	ns, err := o.clients.Kube.CoreV1().Namespaces().Get(ctx, o.FluxNamespace, metav1.GetOptions{})
	switch {
	case err == nil:
		if v := ns.Labels[fluxmanifest.VersionLabelKey]; v != "" {
			return v, nil
		}
	case !apierrors.IsNotFound(err) && !apierrors.IsForbidden(err):
		return "", cluster.Explain(err)
	}
	crd, err := o.clients.Dynamic.Resource(crdGVR).Get(ctx, "kustomizations.kustomize.toolkit.fluxcd.io", metav1.GetOptions{})
	switch {
	case err == nil:
		return crd.GetLabels()[fluxmanifest.VersionLabelKey], nil
	case apierrors.IsNotFound(err) || apierrors.IsForbidden(err):
		return "", nil
	}
	return "", cluster.Explain(err)
}

// String renders the versions as lines for people.
func (r *Result) String() string {
	s := fmt.Sprintf("kubectl-flux-mcp: %s\n", r.Plugin)
	if r.Server != "" {
		s += fmt.Sprintf("kubernetes: %s\n", r.Server)
		flux := r.Flux
		if flux == "" {
			flux = "not found"
		}
		s += fmt.Sprintf("flux: %s\n", flux)
	}
	return s
}
