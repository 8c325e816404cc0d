package cmd_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

func treeSample(t *testing.T) (*testcluster.Cluster, string) {
	t.Helper()
	c := testcluster.Get(t)
	ns := c.Namespace(t, "cli-tree")
	if err := fixtures.CreateTree(context.Background(), c.Kube, c.Dynamic, ns); err != nil {
		t.Fatal(err)
	}
	return c, ns
}

func TestTreeDrawsTheInventory(t *testing.T) {
	c, ns := treeSample(t)
	out, _, err := runCLI("tree", "ks", "parent", "-n", ns, "--kubeconfig", c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.ReplaceAll(`Kustomization/NS/parent  ✔ ready
├── Namespace/NS
├── ConfigMap/NS/cm-a
├── ConfigMap/NS/cm-b
├── ConfigMap/NS/cm-gone  ✗ missing
├── Deployment/NS/web
├── Kustomization/NS/child  ✗ not ready: health check failed after 5m0s: timeout waiting for: [Deployment/NS/slow status: 'InProgress']
│   └── ConfigMap/NS/cm-c
├── HelmRelease/NS/podinfo  ✗ not ready: Helm upgrade failed for release NS/podinfo with chart podinfo@6.7.2: context deadline exceeded
│   ├── Service/NS/podinfo
│   ├── Deployment/NS/podinfo
│   └── ClusterRole/podinfo:reader  ✗ missing
└── Widget/NS/gizmo  ? the kind Widget.example.com is not served by the cluster
12 objects, 2 missing, 2 not ready, 1 unknown
`, "NS", ns)
	if out != want {
		t.Fatalf("tree:\n%s\nwant:\n%s", out, want)
	}

	out, _, err = runCLI("tree", "rset", "platform", "-n", ns, "--depth", "2", "-o", "json", "--kubeconfig", c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Nodes []struct {
			Depth, Parent int
			Kind, Name    string
			Exists        bool
			Note          string
		}
		Objects int
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("-o json: %v\n%s", err, out)
	}
	if res.Objects != 9 || res.Nodes[0].Kind != "ResourceSet" || res.Nodes[0].Parent != -1 || res.Nodes[2].Depth != 2 {
		t.Errorf("json tree = %+v", res)
	}
	for _, n := range res.Nodes {
		if n.Name == "child" && !strings.Contains(n.Note, "depth limit 2") {
			t.Errorf("child at depth 2 should say why its inventory is not shown: %+v", n)
		}
	}
}

func TestTreeBadInput(t *testing.T) {
	c, ns := treeSample(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"tree", "ks"}, "a kind and a name are required"},
		{[]string{"tree", "gitrepo", "fleet", "-n", ns}, "GitRepository has no inventory"},
		{[]string{"tree", "ks", "nope", "-n", ns}, `Kustomization "nope" not found in namespace "` + ns + `"; Kustomization objects there: child, parent`},
		{[]string{"tree", "ks", "parent", "-o", "name"}, `unknown output format "name": use json or yaml`},
		{[]string{"tree", "ks", "parent", "--depth", "-2", "-n", ns}, "invalid depth -2"},
	}
	for _, tc := range cases {
		_, stderr, err := runCLI(append(tc.args, "--kubeconfig", c.Kubeconfig)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) || stderr != "" {
			t.Errorf("%v: err = %v (stderr %q), want %q", tc.args, err, stderr, tc.want)
		}
	}
}
