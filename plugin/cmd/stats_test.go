package cmd_test

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestStats(t *testing.T) {
	c, ns := sample(t)
	out, _, err := runCLI("stats", "-n", ns, "--kubeconfig", c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(l)
		rows[f[0]] = strings.Join(f[1:], " ")
	}
	if rows["KIND"] != "TOTAL READY FAILING SUSPENDED STORAGE" || rows["Kustomization"] != "3 2 1 1 -" || rows["GitRepository"] != "1 1 0 0 2.0 KiB" {
		t.Errorf("stats table:\n%s", out)
	}
	out, _, err = runCLI("stats", "-A", "-o", "json", "--kubeconfig", c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCLI("stats", "-o", "name", "--kubeconfig", c.Kubeconfig); err == nil || err.Error() != `unknown output format "name": use json or yaml` {
		t.Errorf("-o name: %v", err)
	}
	var res struct {
		Kinds []struct {
			Kind         string
			Total        int
			StorageBytes *int64
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Kinds) == 0 || res.Kinds[0].Kind != "Kustomization" || res.Kinds[0].Total < 3 {
		t.Fatalf("-o json: %v\n%s", err, out)
	}
}
