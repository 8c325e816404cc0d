package tools

import (
	"fmt"
	"maps"
	"sync"
	"time"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/kube"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/reconcile"
)

// The meanings of the arguments that the tool schemas leave undescribed, for docs/tools.md only.
// tools/list must stay small, so a schema describes only what is particular to one tool and the
// server instructions (mcp.Instructions) say once what the shared arguments mean; the page, which
// costs no session anything, says it again on every row. This table lives beside the tools rather
// than in hack/gendocs so that it reads the same default constants the handlers use; keep it in
// step with mcp.Instructions.

// sharedArgDocs are the meanings every tool gives an argument, unless toolArgDocs says otherwise.
var sharedArgDocs = map[string]string{
	"context":        "Kubeconfig context to use; default: the current one (list_kubernetes_contexts lists them).",
	"contexts":       `Ask several kubeconfig contexts at once, concurrently (["*"] for all of them); the answer has one entry per context. Not together with context.`,
	"namespace":      "Namespace; default: the context's namespace.",
	"all_namespaces": "Look in every namespace instead of one.",
	"name":           "Name of one object; omitted: list them.",
	"kind":           "Flux kind by name, plural or short name (ks, hr, gitrepo, ocirepo, helmrepo, hc, bucket, alert, provider, rcv, imagerepo, imagepol, iua, fi, rset, rsip).",
	"label_selector": "kubectl label selector, e.g. app=podinfo,tier!=cache.",
	"field_selector": "kubectl field selector, e.g. status.phase=Running.",
	"continue":       "The continue token a truncated answer gave, for the next page.",
	"dry_run":        "Server-side dry run: nothing changes; the answer shows what would.",
	"flux_namespace": "Namespace the Flux controllers run in; default: flux-system.",
}

// toolArgDocs are the per-tool meanings, where the shared one does not fit or the default
// differs. They are built once when first asked (only the documentation asks), not at every
// start of the binary: start-up is part of what an assistant waits for.
var toolArgDocs = sync.OnceValue(func() map[string]map[string]string {
	anyKindDoc := "Any kind as kubectl takes it: Kind, plural or short name (deploy, cm, ks), or resource.group."
	selectionArgDocs := map[string]string{
		"name":           "One object of kind to act on; or give names, all or label_selector.",
		"names":          "Several objects of kind, by name; may go with name.",
		"all":            "Every object of kind in the namespace.",
		"label_selector": "Act on the objects of kind that match this kubectl label selector, e.g. team=apps.",
	}
	waitArgDocs := map[string]string{
		"timeout": fmt.Sprintf("How long to wait for each object, as a duration (30s, 2m); default: %s.", duration(reconcile.DefaultTimeout)),
	}
	suspendableKindDoc := "Flux kind that can be suspended (not fluxreport), by name, plural or short name."

	return map[string]map[string]string{
		"get_flux_resources": {
			"limit": fmt.Sprintf("Most objects to return; default: %d. A truncated answer says what it left out and gives a continue token.", defaultGetLimit),
		},
		"reconcile_flux_resource": merge(selectionArgDocs, waitArgDocs,
			map[string]string{"kind": "Flux kind that can be reconciled (not alert, provider or fluxreport), by name, plural or short name."}),
		"suspend_flux_resource": merge(selectionArgDocs, map[string]string{"kind": suspendableKindDoc}),
		"resume_flux_resource":  merge(selectionArgDocs, waitArgDocs, map[string]string{"kind": suspendableKindDoc}),
		"get_flux_tree": {
			"kind":  "Kustomization (ks), HelmRelease (hr), ResourceSet (rset) or FluxInstance (fi): the kinds that record what they applied.",
			"name":  "The object whose applied objects to show.",
			"depth": "Levels of inventory to show; default 0: all of them.",
			"limit": fmt.Sprintf("Most objects to show; default: %d.", defaultTreeLimit),
		},
		"trace_flux_resource": {
			"kind": anyKindDoc,
			"name": "The object to trace.",
		},
		"get_flux_events": {
			"kind":  "Only events of this Flux kind (by name, plural or short name); omitted: every Flux kind.",
			"name":  "Only events of this object of kind, and of its source.",
			"since": "Only events seen within this duration, e.g. 1h; default: all.",
			"limit": fmt.Sprintf("Most recent events to return; default: %d.", defaultEventLimit),
		},
		"get_flux_logs": {
			"kind":  "Only lines about objects of this Flux kind (by name, plural or short name).",
			"name":  "Only lines about this object of kind.",
			"since": "Only lines newer than this duration, e.g. 1h; default: all.",
			"limit": fmt.Sprintf("Most recent matching lines to return; default: %d.", defaultLogLimit),
		},
		"explain_flux_api": {
			"api_version": "A served version other than the preferred one: v1beta2 or group/v1beta2.",
			"recursive":   "Show the fields of fields too, as kubectl explain --recursive.",
		},
		"export_flux_resources": {
			"name": "One object of kind to export; or all.",
			"all":  "Export every object of kind in the namespace.",
		},
		"diagnose_flux_resource": {
			"kind": "Flux kind of the object to diagnose, by name, plural or short name; omitted with all.",
			"name": "The object to diagnose; or all.",
		},
		"get_kubernetes_resources": {
			"kind":  anyKindDoc,
			"limit": fmt.Sprintf("Most objects to return; default: %d. A truncated answer gives a continue token.", kube.DefaultLimit),
		},
		"apply_kubernetes_manifest": {
			"manifest": "YAML or JSON objects to apply server-side: one or more documents separated by ---, or a v1 List.",
			"overwrite": "Apply objects that Flux manages too, and take over fields that other field managers own " +
				"(server-side apply with force).",
		},
		"patch_kubernetes_resource": {
			"kind": anyKindDoc,
			"name": "The object to patch.",
		},
		"delete_kubernetes_resource": {
			"kind": anyKindDoc,
			"name": "The object to delete.",
		},
	}
})

// ArgumentDoc is what docs/tools.md says about an argument whose schema has no description: the
// tool's own meaning, else the shared one; "" when neither is known, which hack/gendocs refuses.
func ArgumentDoc(tool, arg string) string {
	if d, ok := toolArgDocs()[tool][arg]; ok {
		return d
	}
	return sharedArgDocs[arg]
}

// merge joins tables of meanings into a new one.
func merge(tables ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range tables {
		maps.Copy(out, m)
	}
	return out
}

// duration renders 5m0s as 5m.
func duration(d time.Duration) string {
	return fmt.Sprintf("%gm", d.Minutes())
}
