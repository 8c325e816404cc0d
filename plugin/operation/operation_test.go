package operation

import (
	"context"
	"strings"
	"testing"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
)

type Picked struct{ Namespace string }

// fakeOp records whether Execute went past the namespace check.
type fakeOp struct {
	Picked
	FluxNamespace string
	Name          string
	completed     bool
}

func (o *fakeOp) Complete(*cluster.Cache) error     { o.completed = true; return nil }
func (o *fakeOp) Validate() error                   { return nil }
func (o *fakeOp) Run(context.Context) (bool, error) { return true, nil }

func TestExecuteRejectsInvalidNamespacesFirst(t *testing.T) {
	for _, tc := range []struct {
		op   *fakeOp
		want string
	}{
		{&fakeOp{}, ""},
		{&fakeOp{Picked: Picked{Namespace: "apps"}, FluxNamespace: "flux-system", Name: "Not_A_Namespace"}, ""},
		{&fakeOp{Picked: Picked{Namespace: "Apps"}}, `invalid namespace "Apps"`},
		{&fakeOp{Picked: Picked{Namespace: "a/b"}}, `invalid namespace "a/b"`},
		{&fakeOp{Picked: Picked{Namespace: "../kube-system"}}, `invalid namespace "../kube-system"`},
		{&fakeOp{FluxNamespace: "flux system"}, `invalid namespace "flux system"`},
		{&fakeOp{FluxNamespace: strings.Repeat("a", 64)}, "invalid namespace"},
	} {
		_, err := Execute(context.Background(), nil, tc.op)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%+v: %v", tc.op, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%+v: error %v, want %q", tc.op, err, tc.want)
		case tc.want != "" && tc.op.completed:
			t.Errorf("%+v: Complete ran before the namespace was rejected", tc.op)
		}
	}
}
