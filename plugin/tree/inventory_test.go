package tree

import (
	"testing"

	"k8s.io/apimachinery/pkg/runtime/schema"
)

func TestParseInventoryID(t *testing.T) {
	cases := map[string]ref{
		"apps_web_apps_Deployment": {GroupKind: schema.GroupKind{Group: "apps", Kind: "Deployment"}, Namespace: "apps", Name: "web"},
		"apps_cm-a__ConfigMap":     {GroupKind: schema.GroupKind{Kind: "ConfigMap"}, Namespace: "apps", Name: "cm-a"},
		"_system__controller__flux_rbac.authorization.k8s.io_ClusterRole": {
			GroupKind: schema.GroupKind{Group: "rbac.authorization.k8s.io", Kind: "ClusterRole"}, Name: "system:controller:flux"},
		"_flux-system__Namespace": {GroupKind: schema.GroupKind{Kind: "Namespace"}, Name: "flux-system"},
	}
	for id, want := range cases {
		got, err := parseInventoryID(id)
		if err != nil || got != want {
			t.Errorf("%s: got %+v, %v; want %+v", id, got, err, want)
		}
	}
	for _, bad := range []string{"", "nounderscore", "ns_name", "ns__Kind", "ns_name_group_"} {
		if _, err := parseInventoryID(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}
