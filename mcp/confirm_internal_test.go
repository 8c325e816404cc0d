package mcp

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// fixedLocator resolves as a cluster would whose current context is "cur" with namespace "team",
// where namespaces and clusterroles are cluster-scoped.
type fixedLocator struct{}

func (l fixedLocator) where(a map[string]any, kind string) string {
	if kind == "namespace" || kind == "clusterrole" {
		return l.inContext(a)
	}
	ns := strArg(a, "namespace")
	if ns == "" {
		ns = "team"
	}
	c := strArg(a, "context")
	if c == "" {
		c = "cur"
	}
	return " in namespace " + ns + " of context " + c
}

func (fixedLocator) inContext(a map[string]any) string {
	if c := strArg(a, "context"); c != "" {
		return " in context " + c
	}
	return " in context cur"
}

func (l fixedLocator) objects(a map[string]any) string {
	return manifestObjects(strArg(a, "manifest"), func(o *unstructured.Unstructured) string {
		if o.GetKind() == "Namespace" {
			return ""
		}
		if o.GetNamespace() != "" {
			return o.GetNamespace()
		}
		if ns := strArg(a, "namespace"); ns != "" {
			return ns
		}
		return "team"
	})
}

// What each call would change, as the user is asked; pure logic, the protocol path is tested in
// resources_test.go.
func TestConfirmText(t *testing.T) {
	manifest := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: prod}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {password: hunter2secret}\n"
	cases := []struct {
		mode, tool string
		mutating   bool
		args       map[string]any
		want       string // "" = no confirmation
	}{
		{ConfirmDestructive, "apply_kubernetes_manifest", true, map[string]any{"manifest": manifest, "namespace": "prod"}, "Server-side apply in context cur of: ConfigMap prod/a, Secret prod/s."},
		{ConfirmDestructive, "apply_kubernetes_manifest", true, map[string]any{"manifest": manifest, "dry_run": true}, ""},
		{ConfirmDestructive, "patch_kubernetes_resource", true, map[string]any{"kind": "deploy", "name": "web", "patch": `{"spec":{"replicas":0}}`, "context": "prod"},
			"Patch deploy \"web\" in namespace team of context prod with this merge patch:\n{\"spec\":{\"replicas\":0}}"},
		{ConfirmDestructive, "delete_kubernetes_resource", true, map[string]any{"kind": "namespace", "name": "old", "namespace": "ignored"}, "Delete namespace \"old\" in context cur."},
		{ConfirmDestructive, "patch_kubernetes_resource", true, map[string]any{"kind": "secret", "name": "s", "patch": `{"stringData":{"k":"hunter2secret"}}`}, "(not shown: it patches a Secret)"},
		{ConfirmDestructive, "suspend_flux_resource", true, map[string]any{"kind": "ks", "name": "apps"}, ""},
		{ConfirmDestructive, "suspend_flux_resource", true, map[string]any{"kind": "ks", "names": []any{"a", "b"}}, "Suspend ks a, b in namespace team of context cur:"},
		{ConfirmDestructive, "suspend_flux_resource", true, map[string]any{"kind": "hr", "label_selector": "team=x"}, "Suspend every hr matching team=x"},
		{ConfirmDestructive, "reconcile_flux_resource", true, map[string]any{"kind": "ks", "all": true}, ""},
		{ConfirmAll, "reconcile_flux_resource", true, map[string]any{"kind": "ks", "all": true}, "Run reconcile_flux_resource on every ks in namespace team of context cur."},
		{ConfirmAll, "get_flux_resources", false, map[string]any{"kind": "all"}, ""},
		{ConfirmAll, "delete_kubernetes_resource", true, map[string]any{"kind": "cm", "name": "x", "dry_run": true}, ""},
		{ConfirmNone, "delete_kubernetes_resource", true, map[string]any{"kind": "cm", "name": "x"}, ""},
	}
	for _, c := range cases {
		got := confirmText(c.mode, c.tool, c.mutating, c.args, fixedLocator{})
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) || strings.Contains(got, "hunter2secret") {
			t.Errorf("%s %s %v:\n got %q\nwant %q", c.mode, c.tool, c.args, got, c.want)
		}
	}
}
