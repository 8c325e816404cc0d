// Package check verifies a Flux installation: the Kubernetes version, the Flux CRDs and their
// versions, the controller Deployments and their images, and the Flux Operator's FluxInstance and
// FluxReport when present. It is the operation behind `kubectl flux-mcp check` and the MCP tool
// check_flux.
package check

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/output"
)

// MinKubernetes is the oldest Kubernetes version Flux 2.9 supports.
const MinKubernetes = "1.33.0"

// Status of one check.
const (
	OK   = "ok"
	Warn = "warn"
	Fail = "fail"
)

// Options are the inputs of check.
type Options struct {
	// FluxNamespace is where the controllers are installed.
	FluxNamespace string
	Context       string

	clients *cluster.Clients
}

// Result lists the checks in order, and what they found.
type Result struct {
	Checks []Check `json:"checks"`
	// Failed counts the checks with status fail; the CLI exits non-zero when it is not zero.
	Failed      int          `json:"failed"`
	Warnings    int          `json:"warnings"`
	Kubernetes  string       `json:"kubernetes"`
	CRDs        []CRD        `json:"crds"`
	Controllers []Controller `json:"controllers"`
}

// Check is one verdict.
type Check struct {
	Name    string `json:"name"`
	Status  string `json:"status" jsonschema:"ok, warn or fail"`
	Message string `json:"message"`
}

// CRD is an installed Flux CRD with its versions.
type CRD struct {
	Name        string   `json:"name"`
	Kind        string   `json:"kind"`
	Served      []string `json:"served"`
	Storage     string   `json:"storage"`
	Established bool     `json:"established"`
}

// Controller is a Flux controller Deployment.
type Controller struct {
	Name  string `json:"name"`
	Image string `json:"image"`
	// Version is the image tag.
	Version   string `json:"version"`
	Replicas  int32  `json:"replicas"`
	Available int32  `json:"available"`
}

// Complete finds the clients and defaults the Flux namespace.
func (o *Options) Complete(c *cluster.Cache) error {
	if o.FluxNamespace == "" {
		o.FluxNamespace = "flux-system"
	}
	cl, err := c.For(o.Context)
	o.clients = cl
	return err
}

// Validate has nothing to check: every input is optional.
func (o *Options) Validate() error { return nil }

// Run reads everything concurrently, then judges it in a fixed order. A check that cannot read what
// it checks (forbidden) fails with the server's message; an unreachable server fails the whole run.
func (o *Options) Run(ctx context.Context) (*Result, error) {
	var (
		wg       sync.WaitGroup
		kube     []Check
		crds     []Check
		ctrls    []Check
		operator []Check
		res      = &Result{CRDs: []CRD{}, Controllers: []Controller{}}
		errs     = make([]error, 4)
	)
	wg.Add(4)
	go func() { defer wg.Done(); res.Kubernetes, kube, errs[0] = o.kubernetes() }()
	go func() { defer wg.Done(); res.CRDs, crds, errs[1] = o.crds(ctx) }()
	go func() { defer wg.Done(); res.Controllers, ctrls, errs[2] = o.controllers(ctx) }()
	go func() { defer wg.Done(); operator, errs[3] = o.operator(ctx) }()
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	for _, part := range [][]Check{kube, crds, ctrls, operator} {
		res.Checks = append(res.Checks, part...)
	}
	for _, c := range res.Checks {
		switch c.Status {
		case Fail:
			res.Failed++
		case Warn:
			res.Warnings++
		}
	}
	return res, nil
}

// FailedNames lists the names of the failed checks.
func (r *Result) FailedNames() []string {
	var out []string
	for _, c := range r.Checks {
		if c.Status == Fail {
			out = append(out, c.Name)
		}
	}
	return out
}

// Table renders the checks.
func (r *Result) Table() output.Table {
	t := output.Table{Columns: []output.Column{{Header: "check"}, {Header: "status"}, {Header: "message"}}}
	for _, c := range r.Checks {
		t.Rows = append(t.Rows, []string{c.Name, c.Status, c.Message})
	}
	return t
}

// Text is the table and a verdict line.
func (r *Result) Text() string {
	return r.Table().String() + r.Summary() + "\n"
}

// Summary is one line: all passed, or which checks failed.
func (r *Result) Summary() string {
	if r.Failed == 0 {
		return fmt.Sprintf("all checks passed (%d warnings)", r.Warnings)
	}
	return fmt.Sprintf("%d of %d checks failed: %s", r.Failed, len(r.Checks), strings.Join(r.FailedNames(), ", "))
}
