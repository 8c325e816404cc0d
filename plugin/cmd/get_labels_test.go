package cmd_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// -l selects the labelled objects only, in the table (the lean list) and in -o json (whole objects).
func TestGetLabelSelectorSelectsASubset(t *testing.T) {
	c, ns := sample(t)
	ks := schema.GroupVersionResource{Group: "kustomize.toolkit.fluxcd.io", Version: "v1", Resource: "kustomizations"}
	for name, app := range map[string]string{"apps": "x", "monitoring": "x", "infrastructure": "y"} {
		patch := []byte(`{"metadata":{"labels":{"app":"` + app + `"}}}`)
		if _, err := c.Dynamic.Resource(ks).Namespace(ns).Patch(context.Background(), name, types.MergePatchType, patch, metav1.PatchOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	out, _, err := runCLI("get", "ks", "-n", ns, "-l", "app=x", "--kubeconfig", c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		names = append(names, strings.Fields(line)[0])
	}
	if strings.Join(names, ",") != "apps,monitoring" {
		t.Errorf("get ks -l app=x = %v, want apps,monitoring:\n%s", names, out)
	}

	out, _, err = runCLI("get", "ks", "-n", ns, "-l", "app!=x", "-o", "json", "--kubeconfig", c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Items []struct {
			Metadata struct {
				Name string `json:"name"`
			} `json:"metadata"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("-o json: %v\n%s", err, out)
	}
	if len(list.Items) != 1 || list.Items[0].Metadata.Name != "infrastructure" {
		t.Errorf("get ks -l app!=x -o json = %+v, want only infrastructure", list.Items)
	}
}
