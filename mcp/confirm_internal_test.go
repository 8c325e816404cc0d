package mcp

import (
	"strings"
	"testing"
)

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
		{ConfirmDestructive, "apply_kubernetes_manifest", true, map[string]any{"manifest": manifest, "namespace": "prod"}, "Server-side apply in namespace prod of: ConfigMap prod/a, Secret s."},
		{ConfirmDestructive, "apply_kubernetes_manifest", true, map[string]any{"manifest": manifest, "dry_run": true}, ""},
		{ConfirmDestructive, "patch_kubernetes_resource", true, map[string]any{"kind": "deploy", "name": "web", "patch": `{"spec":{"replicas":0}}`, "context": "prod"},
			"Patch deploy \"web\" in the default namespace of context prod with this merge patch:\n{\"spec\":{\"replicas\":0}}"},
		{ConfirmDestructive, "patch_kubernetes_resource", true, map[string]any{"kind": "secret", "name": "s", "patch": `{"stringData":{"k":"hunter2secret"}}`}, "(not shown: it patches a Secret)"},
		{ConfirmDestructive, "suspend_flux_resource", true, map[string]any{"kind": "ks", "name": "apps"}, ""},
		{ConfirmDestructive, "suspend_flux_resource", true, map[string]any{"kind": "ks", "names": []any{"a", "b"}}, "Suspend ks a, b in the default namespace"},
		{ConfirmDestructive, "suspend_flux_resource", true, map[string]any{"kind": "hr", "label_selector": "team=x"}, "Suspend every hr matching team=x"},
		{ConfirmDestructive, "reconcile_flux_resource", true, map[string]any{"kind": "ks", "all": true}, ""},
		{ConfirmAll, "reconcile_flux_resource", true, map[string]any{"kind": "ks", "all": true}, "Run reconcile_flux_resource on every ks in the default namespace."},
		{ConfirmAll, "get_flux_resources", false, map[string]any{"kind": "all"}, ""},
		{ConfirmAll, "delete_kubernetes_resource", true, map[string]any{"kind": "cm", "name": "x", "dry_run": true}, ""},
		{ConfirmNone, "delete_kubernetes_resource", true, map[string]any{"kind": "cm", "name": "x"}, ""},
	}
	for _, c := range cases {
		got := confirmText(c.mode, c.tool, c.mutating, c.args)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) || strings.Contains(got, "hunter2secret") {
			t.Errorf("%s %s %v:\n got %q\nwant %q", c.mode, c.tool, c.args, got, c.want)
		}
	}
}
