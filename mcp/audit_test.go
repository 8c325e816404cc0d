package mcp_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

// writeVerbs are the audit verbs that change the cluster.
var writeVerbs = map[string]bool{"create": true, "update": true, "patch": true, "delete": true, "deletecollection": true}

// toolCalls are arguments for every tool that reach the API server in ns (fixtures.Sample).
func toolCalls(ns string) map[string][]map[string]any {
	manifest := fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: audit-cm, namespace: %s}\ndata: {a: b}\n", ns)
	return map[string][]map[string]any{
		"get_flux_resources":           {{"kind": "all", "namespace": ns}, {"kind": "ks", "all_namespaces": true}},
		"get_flux_tree":                {{"kind": "ks", "name": "apps", "namespace": ns}},
		"diagnose_flux_resource":       {{"kind": "ks", "name": "apps", "namespace": ns}, {"all": true, "namespace": ns}},
		"get_flux_dependency_graph":    {{"namespace": ns}},
		"trace_flux_resource":          {{"kind": "ConfigMap", "api_version": "v1", "name": "missing", "namespace": ns}},
		"get_flux_events":              {{"namespace": ns}},
		"get_flux_logs":                {{"limit": 5}},
		"get_flux_stats":               {{"all_namespaces": true}},
		"check_flux":                   {{}},
		"explain_flux_api":             {{"path": "kustomization.spec"}},
		"export_flux_resources":        {{"kind": "all", "all": true, "namespace": ns}},
		"get_kubernetes_resources":     {{"kind": "configmaps", "namespace": ns}, {"kind": "secrets", "namespace": ns}},
		"get_kubernetes_api_resources": {{}},
		"list_kubernetes_contexts":     {{}},
		"reconcile_flux_resource":      {{"kind": "ks", "name": "apps", "namespace": ns, "wait": false}},
		"suspend_flux_resource":        {{"kind": "ks", "name": "apps", "namespace": ns}},
		"resume_flux_resource":         {{"kind": "ks", "name": "monitoring", "namespace": ns, "wait": false}},
		"apply_kubernetes_manifest":    {{"manifest": manifest}, {"manifest": manifest, "dry_run": true}},
		"patch_kubernetes_resource":    {{"kind": "kustomization", "name": "apps", "namespace": ns, "patch": `{"metadata":{"labels":{"x":"y"}}}`}},
		"delete_kubernetes_resource":   {{"kind": "kustomization", "name": "infrastructure", "namespace": ns}},
	}
}

var writeTools = []string{"reconcile_flux_resource", "suspend_flux_resource", "resume_flux_resource", "apply_kubernetes_manifest", "patch_kubernetes_resource", "delete_kubernetes_resource"}

func bindClusterRole(t *testing.T, c *testcluster.Cluster, name, role string, subject rbacv1.Subject) {
	t.Helper()
	b := &rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: name},
		RoleRef:  rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: role},
		Subjects: []rbacv1.Subject{subject}}
	if _, err := c.Kube.RbacV1().ClusterRoleBindings().Create(context.Background(), b, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// eventsOf returns the audit events after the first `from` whose effective user is user.
func eventsOf(t *testing.T, c *testcluster.Cluster, from int, user string) []testcluster.AuditEvent {
	t.Helper()
	// The log backend writes when a response completes; give the last ones a moment.
	time.Sleep(500 * time.Millisecond)
	var out []testcluster.AuditEvent
	for _, e := range c.AuditEvents(t)[from:] {
		if e.EffectiveUser() == user {
			out = append(out, e)
		}
	}
	return out
}

func describe(e testcluster.AuditEvent) string {
	return fmt.Sprintf("%s %s (%s)", e.Verb, e.RequestURI, e.User.Username)
}

// TestAuditedSessions proves with the API server's own audit log that a --read-only session
// sends no write, and that --kube-as puts the impersonated user on every request.
func TestAuditedSessions(t *testing.T) {
	c := testcluster.Separate(t, testcluster.Options{AuditLog: true})
	ns := c.Namespace(t, "audit")
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}

	t.Run("read-only", func(t *testing.T) {
		const user = "kfm-audit-readonly"
		bindClusterRole(t, c, user, "cluster-admin", rbacv1.Subject{Kind: rbacv1.UserKind, APIGroup: "rbac.authorization.k8s.io", Name: user})
		from := len(c.AuditEvents(t))
		cl := stdioClient(t, c, "serve", "--read-only", "--kube-as", user)
		listed, err := cl.ListTools(context.Background(), mcp.ListToolsRequest{})
		if err != nil {
			t.Fatal(err)
		}
		calls := toolCalls(ns)
		for _, tool := range listed.Tools {
			argsList, ok := calls[tool.Name]
			if !ok {
				t.Errorf("no test arguments for the offered tool %s", tool.Name)
			}
			for _, args := range argsList {
				_ = call(t, cl, tool.Name, args)
			}
		}
		for _, name := range writeTools {
			for _, args := range calls[name] {
				res := call(t, cl, name, args)
				if !res.IsError || !strings.Contains(text(res), "--read-only") {
					t.Errorf("%s under --read-only: isError=%v %q", name, res.IsError, text(res))
				}
			}
		}
		events := eventsOf(t, c, from, user)
		reads := 0
		for _, e := range events {
			if writeVerbs[e.Verb] {
				t.Errorf("--read-only session sent a write: %s", describe(e))
			} else {
				reads++
			}
		}
		if reads < len(listed.Tools) {
			t.Errorf("only %d requests by %s in the audit log; the session's reads are not identifiable", reads, user)
		}

		// The control: the same user without --read-only does write, and the log shows it.
		from = len(c.AuditEvents(t))
		rw := stdioClient(t, c, "serve", "--kube-as", user)
		if res := call(t, rw, "suspend_flux_resource", map[string]any{"kind": "ks", "name": "apps", "namespace": ns}); res.IsError {
			t.Fatalf("suspend as admin: %s", text(res))
		}
		writes := 0
		for _, e := range eventsOf(t, c, from, user) {
			if writeVerbs[e.Verb] {
				writes++
			}
		}
		if writes == 0 {
			t.Errorf("a suspend left no write in the audit log: the read-only check could not fail")
		}
	})

	t.Run("impersonation", func(t *testing.T) {
		// A namespace of its own: the control above suspended apps in the first one.
		ns := c.Namespace(t, "audit")
		if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(ns)); err != nil {
			t.Fatal(err)
		}
		sa := "system:serviceaccount:" + ns + ":flux-viewer"
		role := &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: "kfm-flux-view"}, Rules: []rbacv1.PolicyRule{
			{APIGroups: []string{"source.toolkit.fluxcd.io", "kustomize.toolkit.fluxcd.io", "helm.toolkit.fluxcd.io",
				"notification.toolkit.fluxcd.io", "image.toolkit.fluxcd.io", "fluxcd.controlplane.io"},
				Resources: []string{"*"}, Verbs: []string{"get", "list", "watch"}},
			{APIGroups: []string{"", "events.k8s.io"}, Resources: []string{"events", "configmaps", "namespaces"}, Verbs: []string{"get", "list", "watch"}},
		}}
		if _, err := c.Kube.RbacV1().ClusterRoles().Create(context.Background(), role, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		bindClusterRole(t, c, "kfm-flux-view", "kfm-flux-view", rbacv1.Subject{Kind: rbacv1.ServiceAccountKind, Name: "flux-viewer", Namespace: ns})
		from := len(c.AuditEvents(t))
		cl := stdioClient(t, c, "serve", "--kube-as", sa)
		reads := []struct {
			tool string
			args map[string]any
			want string
		}{
			{"get_flux_resources", map[string]any{"kind": "all", "namespace": ns}, "kustomization/apps"},
			{"get_flux_tree", map[string]any{"kind": "ks", "name": "apps", "namespace": ns}, "apps"},
			{"export_flux_resources", map[string]any{"kind": "ks", "all": true, "namespace": ns}, "apps"},
			{"get_kubernetes_resources", map[string]any{"kind": "configmaps", "namespace": ns}, ""},
		}
		for _, r := range reads {
			res := call(t, cl, r.tool, r.args)
			if res.IsError || !strings.Contains(text(res), r.want) {
				t.Errorf("read %s as %s: isError=%v %q", r.tool, sa, res.IsError, text(res))
			}
		}
		if res := call(t, cl, "get_kubernetes_resources", map[string]any{"kind": "secrets", "namespace": ns}); !res.IsError || !strings.Contains(text(res), "forbidden") && !strings.Contains(text(res), "cannot") {
			t.Errorf("secrets are not in the role: isError=%v %q", res.IsError, text(res))
		}
		calls := toolCalls(ns)
		for _, name := range writeTools {
			for _, args := range calls[name] {
				res := call(t, cl, name, args)
				txt := text(res)
				denied := strings.Contains(txt, "forbidden") || strings.Contains(txt, "cannot")
				if !res.IsError || !strings.Contains(txt, sa) || !denied {
					t.Errorf("%s %v as %s: isError=%v %q, want the 403", name, args, sa, res.IsError, txt)
				}
			}
		}
		// Nothing changed.
		ks, err := c.Dynamic.Resource(schema.GroupVersionResource{Group: "kustomize.toolkit.fluxcd.io", Version: "v1", Resource: "kustomizations"}).Namespace(ns).Get(context.Background(), "infrastructure", metav1.GetOptions{})
		if err != nil || ks.GetLabels()["x"] != "" {
			t.Errorf("infrastructure after the refused writes: %v %v", err, ks)
		}
		var mine int
		for _, e := range c.AuditEvents(t)[from:] {
			if e.User.Username != "kfm-admin" {
				continue // the test's own requests
			}
			mine++
			if e.EffectiveUser() != sa {
				t.Errorf("request not impersonated: %s as %s", describe(e), e.EffectiveUser())
			}
		}
		if mine == 0 {
			t.Fatal("no request of the session in the audit log")
		}
		t.Logf("%d requests of the session, all as %s", mine, sa)
	})
}
