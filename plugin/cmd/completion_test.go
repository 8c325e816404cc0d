package cmd_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

// complete runs cobra's hidden __complete command in-process, as the shell scripts and kubectl's
// plugin completion do, and returns the choices (without descriptions) and the directive line.
func complete(t *testing.T, args ...string) (choices []string, directive string) {
	t.Helper()
	out, _, err := runCLI(append([]string{"__complete"}, args...)...)
	if err != nil {
		t.Fatalf("__complete %v: %v", args, err)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	directive = lines[len(lines)-1]
	for _, l := range lines[:len(lines)-1] {
		choices = append(choices, strings.SplitN(l, "\t", 2)[0])
	}
	return choices, directive
}

func TestCompleteKinds(t *testing.T) {
	got, dir := complete(t, "get", "")
	if dir != ":4" {
		t.Errorf("directive = %s, want :4 (no file completion)", dir)
	}
	for _, want := range []string{"all", "kustomization", "helmrelease", "gitrepository", "fluxinstance", "resourcesetinputprovider"} {
		if !slices.Contains(got, want) {
			t.Errorf("get <TAB> lacks %s: %v", want, got)
		}
	}
	out, _, _ := runCLI("__complete", "get", "")
	if !strings.Contains(out, "kustomization\tKustomization (ks)\n") {
		t.Errorf("kinds should carry their short names as description:\n%s", out)
	}
	for prefix, want := range map[string][]string{
		"ks":      {"ks"},
		"hr":      {"hr"},
		"helmr":   {"helmrelease", "helmrepository"},
		"gitrepo": {"gitrepository"},
		"a":       {"alert", "alert-provider", "all"},
		"zzz":     nil,
	} {
		if got, _ := complete(t, "get", prefix); !slices.Equal(sorted(got), want) {
			t.Errorf("get %s<TAB> = %v, want %v", prefix, got, want)
		}
	}
	if got, _ := complete(t, "completion", ""); !slices.Equal(got, []string{"bash", "zsh", "fish", "powershell"}) {
		t.Errorf("completion <TAB> = %v", got)
	}
}

func TestCompleteNamesLive(t *testing.T) {
	c, ns := sample(t)
	other := c.Namespace(t, "cli-other")
	c.Create(t, fixtures.Object{Plural: "kustomizations", Manifest: `
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: elsewhere, namespace: ` + other + `}
spec: {interval: 1m, path: ./, prune: false, sourceRef: {kind: GitRepository, name: x}}`})
	kc := c.Kubeconfig

	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"get", "ks", "-n", ns, "--kubeconfig", kc, ""}, []string{"apps", "infrastructure", "monitoring"}},
		{[]string{"get", "ks", "--namespace", ns, "--kubeconfig", kc, "i"}, []string{"infrastructure"}},
		{[]string{"get", "kustomizations", "apps", "-n", ns, "--kubeconfig", kc, ""}, []string{"infrastructure", "monitoring"}},
		{[]string{"get", "hr", "-n", ns, "--kubeconfig", kc, ""}, []string{"podinfo", "redis"}},
		{[]string{"get", "ks", "-n", other, "--kubeconfig", kc, ""}, []string{"elsewhere"}},
		{[]string{"get", "ks", "-A", "--kubeconfig", kc, "e"}, []string{"elsewhere"}},
		{[]string{"get", "all", "-n", ns, "--kubeconfig", kc, ""}, nil},
		{[]string{"get", "widgets", "-n", ns, "--kubeconfig", kc, ""}, nil},
		// A user who may not list gets no names and no error in the shell.
		{[]string{"get", "ks", "-n", ns, "--kubeconfig", c.AddUser(t, "completer"), ""}, nil},
		// --context selects the context, whose namespace is the default.
		{[]string{"get", "ks", "--kubeconfig", withContext(t, c, "other", other), "--context", "other", ""}, []string{"elsewhere"}},
	}
	for _, tc := range cases {
		got, dir := complete(t, tc.args...)
		if !slices.Equal(got, tc.want) || dir != ":4" {
			t.Errorf("__complete %v = %v %s, want %v :4", tc.args, got, dir, tc.want)
		}
	}
	// -A lists names across namespaces, each once.
	got, _ := complete(t, "get", "ks", "-A", "--kubeconfig", kc, "")
	if !slices.Contains(got, "elsewhere") || !slices.Contains(got, "apps") || len(got) != len(slices.Compact(sorted(got))) {
		t.Errorf("get ks -A <TAB> = %v", got)
	}
}

// TestCompleteKindsPerCommand checks that each command offers the kinds it works on and no other.
func TestCompleteKindsPerCommand(t *testing.T) {
	cases := []struct {
		cmd          string
		want, reject []string
	}{
		{"reconcile", []string{"kustomization", "helmrelease", "gitrepository", "receiver", "fluxinstance", "resourcesetinputprovider"}, []string{"all", "alert", "provider", "fluxreport"}},
		{"suspend", []string{"kustomization", "alert", "provider", "receiver", "resourceset"}, []string{"all", "fluxreport"}},
		{"resume", []string{"kustomization", "alert", "provider", "receiver", "resourceset"}, []string{"all", "fluxreport"}},
		{"trace", []string{"kustomization", "helmrelease", "fluxreport", "deployments", "configmaps", "namespaces", "pods"}, []string{"all", "kustomizations", "deployment"}},
	}
	for _, tc := range cases {
		got, dir := complete(t, tc.cmd, "--kubeconfig", testcluster.Get(t).Kubeconfig, "")
		if dir != ":4" {
			t.Errorf("%s <TAB> directive = %s, want :4", tc.cmd, dir)
		}
		for _, w := range tc.want {
			if !slices.Contains(got, w) {
				t.Errorf("%s <TAB> lacks %s: %v", tc.cmd, w, got)
			}
		}
		for _, r := range tc.reject {
			if slices.Contains(got, r) {
				t.Errorf("%s <TAB> offers %s: %v", tc.cmd, r, got)
			}
		}
		if len(got) != len(slices.Compact(sorted(got))) {
			t.Errorf("%s <TAB> repeats a choice: %v", tc.cmd, got)
		}
	}
	// tree offers exactly the kinds that record what they applied.
	if got, _ := complete(t, "tree", ""); !slices.Equal(sorted(got), []string{"fluxinstance", "helmrelease", "kustomization", "resourceset"}) {
		t.Errorf("tree <TAB> = %v", got)
	}
	kc := testcluster.Get(t).Kubeconfig
	for prefix, want := range map[string][]string{
		"ks":     {"ks"},
		"deploy": {"deployments"},
		"cm":     {"cm"},
		"hr":     {"hr"},
		// A plural served by two groups is offered once plain and once with the second group.
		"events": {"events", "events.events.k8s.io"},
		"zzz":    nil,
	} {
		if got, _ := complete(t, "trace", "--kubeconfig", kc, prefix); !slices.Equal(sorted(got), want) {
			t.Errorf("trace %s<TAB> = %v, want %v", prefix, got, want)
		}
	}
	// Without a cluster, trace still offers the Flux kinds.
	got, _ := complete(t, "trace", "--kubeconfig", filepath.Join(t.TempDir(), "none"), "")
	if !slices.Contains(got, "kustomization") || slices.Contains(got, "deployments") {
		t.Errorf("trace <TAB> without a cluster = %v", got)
	}
}

// TestCompleteNamesLivePerCommand reads names live for every command that takes KIND NAME.
func TestCompleteNamesLivePerCommand(t *testing.T) {
	c, ns := sample(t)
	ctx := context.Background()
	for _, name := range []string{"podinfo-values", "redis-values", "other"} {
		cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns}}
		if _, err := c.Kube.CoreV1().ConfigMaps(ns).Create(ctx, cm, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	kc := c.Kubeconfig
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"reconcile", "ks", "-n", ns, "--kubeconfig", kc, ""}, []string{"apps", "infrastructure", "monitoring"}},
		{[]string{"reconcile", "gitrepo", "-n", ns, "--kubeconfig", kc, ""}, []string{"flux-system"}},
		{[]string{"reconcile", "ks", "apps", "-n", ns, "--kubeconfig", kc, ""}, []string{"infrastructure", "monitoring"}},
		// Alerts cannot be reconciled: no names.
		{[]string{"reconcile", "alert", "-n", ns, "--kubeconfig", kc, ""}, nil},
		{[]string{"suspend", "hr", "-n", ns, "--kubeconfig", kc, ""}, []string{"podinfo", "redis"}},
		{[]string{"suspend", "alert", "-n", ns, "--kubeconfig", kc, ""}, []string{"on-call"}},
		{[]string{"resume", "ks", "-n", ns, "--kubeconfig", kc, "m"}, []string{"monitoring"}},
		{[]string{"resume", "provider", "-n", ns, "--kubeconfig", kc, ""}, []string{"slack"}},
		{[]string{"tree", "ks", "-n", ns, "--kubeconfig", kc, ""}, []string{"apps", "infrastructure", "monitoring"}},
		{[]string{"tree", "hr", "-n", ns, "--kubeconfig", kc, "p"}, []string{"podinfo"}},
		// tree takes one name, and only kinds with an inventory.
		{[]string{"tree", "ks", "apps", "-n", ns, "--kubeconfig", kc, ""}, nil},
		{[]string{"tree", "gitrepo", "-n", ns, "--kubeconfig", kc, ""}, nil},
		{[]string{"trace", "ks", "-n", ns, "--kubeconfig", kc, ""}, []string{"apps", "infrastructure", "monitoring"}},
		{[]string{"trace", "configmaps", "-n", ns, "--kubeconfig", kc, "redis"}, []string{"redis-values"}},
		{[]string{"trace", "cm", "-n", ns, "--kubeconfig", kc, "p"}, []string{"podinfo-values"}},
		{[]string{"trace", "ConfigMap", "--api-version", "v1", "-n", ns, "--kubeconfig", kc, "o"}, []string{"other"}},
		{[]string{"trace", "-n", ns, "--kubeconfig", kc, "cm/p"}, []string{"cm/podinfo-values"}},
		{[]string{"trace", "-n", ns, "--kubeconfig", kc, "hr/"}, []string{"hr/podinfo", "hr/redis"}},
		// Cluster-scoped kinds list cluster-wide, whatever the namespace.
		{[]string{"trace", "ns", "-n", ns, "--kubeconfig", kc, ns}, []string{ns}},
		// trace takes one object.
		{[]string{"trace", "cm", "other", "-n", ns, "--kubeconfig", kc, ""}, nil},
		{[]string{"trace", "cm/other", "-n", ns, "--kubeconfig", kc, ""}, nil},
		{[]string{"trace", "widgets", "-n", ns, "--kubeconfig", kc, ""}, nil},
		// A user who may not list gets no names and no error in the shell.
		{[]string{"trace", "cm", "-n", ns, "--kubeconfig", c.AddUser(t, "trace-completer"), ""}, nil},
	}
	for _, tc := range cases {
		got, dir := complete(t, tc.args...)
		if !slices.Equal(got, tc.want) || dir != ":4" {
			t.Errorf("__complete %v = %v %s, want %v :4", tc.args, got, dir, tc.want)
		}
	}
}

func TestCompleteConnectionFlags(t *testing.T) {
	c, ns := sample(t)
	got, dir := complete(t, "get", "ks", "--kubeconfig", c.Kubeconfig, "-n", "")
	if !slices.Contains(got, ns) || !slices.Contains(got, "kube-system") || dir != ":4" {
		t.Errorf("-n <TAB> = %v %s", got, dir)
	}
	if got, _ := complete(t, "get", "ks", "--kubeconfig", c.Kubeconfig, "--namespace", ns); !slices.Equal(got, []string{ns}) {
		t.Errorf("--namespace %s<TAB> = %v", ns, got)
	}
	kc := withContext(t, c, "other", ns)
	if got, _ := complete(t, "get", "--kubeconfig", kc, "--context", ""); !slices.Equal(got, []string{"envtest", "other"}) {
		t.Errorf("--context <TAB> = %v", got)
	}
	if got, _ := complete(t, "version", "--kubeconfig", kc, "--context", "o"); !slices.Equal(got, []string{"other"}) {
		t.Errorf("--context o<TAB> = %v", got)
	}
	if got, _ := complete(t, "get", "--kubeconfig", kc, "--user", ""); len(got) != 1 {
		t.Errorf("--user <TAB> = %v", got)
	}
}

func TestCompletionScripts(t *testing.T) {
	for shell, want := range map[string]string{
		"bash":       "complete -o default -F __start_kubectl-flux_mcp kubectl-flux_mcp",
		"zsh":        "#compdef kubectl-flux_mcp",
		"fish":       "complete -c kubectl-flux_mcp",
		"powershell": "Register-ArgumentCompleter -CommandName 'kubectl-flux_mcp'",
	} {
		out, _, err := runCLI("completion", shell)
		if err != nil || !strings.Contains(out, want) || !strings.Contains(out, "__complete") {
			t.Errorf("completion %s: %v, want a script containing %q", shell, err, want)
		}
		if strings.Contains(out, "__start_kubectl ") || strings.Contains(out, "compdef kubectl\n") {
			t.Errorf("completion %s must not take over kubectl's own completion", shell)
		}
	}
	for _, args := range [][]string{{"completion"}, {"completion", "tcsh"}} {
		if _, _, err := runCLI(args...); err == nil || !strings.Contains(err.Error(), "bash, zsh, fish or powershell") {
			t.Errorf("%v: err = %v", args, err)
		}
	}
	// The root command keeps its kubectl name after a script was generated.
	if out, _, _ := runCLI("get", "--help"); !strings.Contains(out, "kubectl flux-mcp get") {
		t.Errorf("help after completion lost the kubectl name:\n%s", out)
	}
}

// withContext writes a copy of the test kubeconfig with one more context, whose default
// namespace is ns.
func withContext(t *testing.T, c *testcluster.Cluster, name, ns string) string {
	t.Helper()
	cfg, err := clientcmd.LoadFromFile(c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	extra := cfg.Contexts[cfg.CurrentContext].DeepCopy()
	extra.Namespace = ns
	cfg.Contexts[name] = extra
	p := filepath.Join(t.TempDir(), "kubeconfig")
	if err := clientcmd.WriteToFile(*cfg, p); err != nil {
		t.Fatal(err)
	}
	return p
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
