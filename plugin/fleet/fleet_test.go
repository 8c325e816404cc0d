package fleet_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"k8s.io/cli-runtime/pkg/genericclioptions"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/diagnose"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fleet"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/stats"
)

func TestMain(m *testing.M) { testcluster.Main(m) }

func newCache(t *testing.T, kubeconfig string) *cluster.Cache {
	flags := genericclioptions.NewConfigFlags(false)
	flags.KubeConfig = &kubeconfig
	dir := t.TempDir()
	flags.CacheDir = &dir
	return cluster.NewCache(flags)
}

func statsOp(o fleet.Options) *fleet.Op[*stats.Result] {
	return &fleet.Op[*stats.Result]{Options: o, New: func(name string) operation.Operation[*stats.Result] {
		return &stats.Options{AllNamespaces: true, Context: name}
	}}
}

func kustomizations(r *stats.Result) int {
	for _, k := range r.Kinds {
		if k.Kind == "Kustomization" {
			return k.Total
		}
	}
	return -1
}

// TestTwoServersOneStopped: both API servers answer; then one is stopped during the test and the
// next fleet query still answers for the other, with a clear error for the stopped one, in time.
func TestTwoServersOneStopped(t *testing.T) {
	two, kc := testcluster.TwoServers(t, "fleet")
	cache := newCache(t, kc)
	ctx := context.Background()

	res, err := operation.Execute(ctx, cache, statsOp(fleet.Options{All: true, Timeout: 5 * time.Second}))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Contexts) != 2 || res.Contexts[0].Context != "one" || res.Contexts[1].Context != "two" {
		t.Fatalf("contexts = %+v", res.Contexts)
	}
	for _, a := range res.Contexts {
		if a.Error != "" || kustomizations(a.Result) < 3 {
			t.Errorf("context %s: error %q, result %+v", a.Context, a.Error, a.Result)
		}
	}
	diag, err := operation.Execute(ctx, cache, &fleet.Op[*diagnose.Result]{Options: fleet.Options{Contexts: []string{"two", "one"}},
		New: func(name string) operation.Operation[*diagnose.Result] {
			return &diagnose.Options{All: true, AllNamespaces: true, Context: name}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if len(diag.Contexts) != 2 || diag.Contexts[0].Context != "two" || diag.Contexts[0].Error != "" || len(diag.Contexts[0].Result.Diagnoses) == 0 {
		t.Errorf("diagnose over two contexts = %+v", diag.Contexts)
	}

	two.Stop()
	start := time.Now()
	res, err = operation.Execute(ctx, cache, statsOp(fleet.Options{All: true, Timeout: 5 * time.Second}))
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 7*time.Second {
		t.Errorf("took %s with a 5s per-context timeout", took)
	}
	if a := res.Contexts[0]; a.Error != "" || kustomizations(a.Result) < 3 {
		t.Errorf("context one after two stopped: error %q, result %+v", a.Error, a.Result)
	}
	if a := res.Contexts[1]; a.Result != nil || !strings.HasPrefix(a.Error, "cannot reach the Kubernetes API server at https://127.0.0.1:") {
		t.Errorf("context two after it stopped: %+v", a)
	}
	if txt := res.Text((*stats.Result).Text); !strings.HasPrefix(txt, "== context one\n") || !strings.Contains(txt, "\ncontext two: ") {
		t.Errorf("text:\n%s", txt)
	}
}

func TestResolve(t *testing.T) {
	c := testcluster.Get(t)
	kc := filepath.Join(t.TempDir(), "kubeconfig")
	if err := fixtures.FleetKubeconfig(c.Kubeconfig, kc); err != nil {
		t.Fatal(err)
	}
	cache := newCache(t, kc)
	for _, tc := range []struct {
		o    fleet.Options
		want string
	}{
		{fleet.Options{All: true}, "down,envtest,mirror"},
		{fleet.Options{Contexts: []string{"*"}}, "down,envtest,mirror"},
		{fleet.Options{Contexts: []string{"mirror", " envtest", "mirror", ""}}, "mirror,envtest"},
		{fleet.Options{Contexts: []string{"prod"}}, `context "prod" not found in kubeconfig; known contexts: [down envtest mirror]`},
		{fleet.Options{Contexts: []string{""}}, "no contexts to query: name some, or all; known contexts: [down envtest mirror]"},
	} {
		names, err := fleet.Resolve(cache, tc.o)
		got := strings.Join(names, ",")
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("Resolve(%+v) = %q, want %q", tc.o, got, tc.want)
		}
	}
}

// TestRunTimeout: a context that never answers is abandoned at its timeout, the others kept.
func TestRunTimeout(t *testing.T) {
	start := time.Now()
	answers := fleet.Run(context.Background(), []string{"fast", "hang", "bad"}, 200*time.Millisecond,
		func(ctx context.Context, name string) (string, error) {
			switch name {
			case "hang":
				time.Sleep(5 * time.Second) // ignores ctx, as discovery does
				return "late", nil
			case "bad":
				return "", errors.New("forbidden here")
			}
			return "answer of " + name, nil
		})
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("took %s", took)
	}
	if answers[0].Result != "answer of fast" || answers[0].Error != "" {
		t.Errorf("fast = %+v", answers[0])
	}
	if answers[1].Result != "" || answers[1].Error != "no answer within 200ms" {
		t.Errorf("hang = %+v", answers[1])
	}
	if answers[2].Error != "forbidden here" {
		t.Errorf("bad = %+v", answers[2])
	}
}

// TestSameErrorEverywhere: wrong inputs fail in every context alike and come back as one error.
func TestSameErrorEverywhere(t *testing.T) {
	c := testcluster.Get(t)
	kc := filepath.Join(t.TempDir(), "kubeconfig")
	if err := fixtures.FleetKubeconfig(c.Kubeconfig, kc); err != nil {
		t.Fatal(err)
	}
	_, err := operation.Execute(context.Background(), newCache(t, kc), &fleet.Op[*diagnose.Result]{
		Options: fleet.Options{Contexts: []string{"envtest", "mirror"}},
		New: func(name string) operation.Operation[*diagnose.Result] {
			return &diagnose.Options{Kind: "nosuchkind", Name: "x", Context: name}
		}})
	if err == nil || !strings.HasPrefix(err.Error(), "every context (envtest, mirror) failed: ") {
		t.Errorf("err = %v", err)
	}
}

// TestForbiddenContextDoesNotHideTheOthers: a context whose user may read nothing answers with
// why; the admin context still answers.
func TestForbiddenContextDoesNotHideTheOthers(t *testing.T) {
	c := testcluster.Get(t)
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(c.Namespace(t, "fleet-rbac"))); err != nil {
		t.Fatal(err)
	}
	kc := filepath.Join(t.TempDir(), "kubeconfig")
	if err := fixtures.JoinKubeconfigs(kc, map[string]string{"admin": c.Kubeconfig, "nobody": c.AddUser(t, "nobody")}); err != nil {
		t.Fatal(err)
	}
	res, err := operation.Execute(context.Background(), newCache(t, kc), &fleet.Op[*diagnose.Result]{Options: fleet.Options{All: true},
		New: func(name string) operation.Operation[*diagnose.Result] {
			return &diagnose.Options{All: true, AllNamespaces: true, Context: name}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if a := res.Contexts[0]; a.Context != "admin" || a.Error != "" || len(a.Result.Diagnoses) == 0 {
		t.Errorf("admin = %+v", a)
	}
	if a := res.Contexts[1]; a.Context != "nobody" || a.Result != nil || !strings.Contains(a.Error, "forbidden") {
		t.Errorf("nobody = %+v", a)
	}
}
