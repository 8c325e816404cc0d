package cmd_test

import (
	"strings"
	"testing"
)

// TestGoTemplateIsNotAnOutputFormat: the Go template printers are left out so that the linker can
// drop unused methods (plugin/output isGoTemplate); asking for one names the formats there are,
// before any API call, and jsonpath is among them.
func TestGoTemplateIsNotAnOutputFormat(t *testing.T) {
	for _, format := range []string{"go-template={{.kind}}", "template={{.kind}}", "go-template-file=/dev/null", "templatefile=/dev/null"} {
		_, _, err := runCLI("get", "ks", "-o", format, "--kubeconfig", "/nonexistent")
		if err == nil || !strings.Contains(err.Error(), "unknown output format") || !strings.Contains(err.Error(), "jsonpath") || strings.Contains(err.Error(), "go-template,") {
			t.Errorf("-o %s: err = %v, want an unknown output format error that lists jsonpath and no go-template", format, err)
		}
	}
}
