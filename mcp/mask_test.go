package mcp_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	mcpgo "github.com/mark3labs/mcp-go/mcp"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/mcp"
)

func TestMaskPatternsInText(t *testing.T) {
	cases := map[string]string{
		"clone https://git:canary-pass@git.example/org/repo failed":                                 "clone https://git:****@git.example/org/repo failed",
		"Authorization: Bearer canaryTokenValue123":                                                 "Authorization: Bearer ****",
		"dsn password=canary host=db":                                                               "dsn password=**** host=db",
		`{"client_secret": "canary"}`:                                                               `{"client_secret": "****"}`,
		"a eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.c2lnbmF0dXJlY2FuYXJ5 b":                      "a **** b",
		"key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIcanary\nabc\n-----END RSA PRIVATE KEY-----\nend": "key:\n-----BEGIN RSA PRIVATE KEY-----\n****\n-----END RSA PRIVATE KEY-----\nend",
		"cut -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEcanary":                        "cut -----BEGIN OPENSSH PRIVATE KEY-----\n****\n-----END OPENSSH PRIVATE KEY-----",
		// Ordinary text stays as it is.
		"secretRef: {name: slack-webhook}; failed to get secret: secrets \"x\" not found": "secretRef: {name: slack-webhook}; failed to get secret: secrets \"x\" not found",
		"continue=eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6Mjk3fQ":                             "continue=eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6Mjk3fQ",
	}
	for in, want := range cases {
		res := mcp.MaskResult(mcpgo.NewToolResultText(in))
		if got := text(res); got != want {
			t.Errorf("mask(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}

func TestMaskSecretDocumentsAndKnownValues(t *testing.T) {
	enc := base64.StdEncoding.EncodeToString([]byte("canary-decoded"))
	yamlText := "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{\"stringData\":{\"k\":\"canary-applied\"}}'\ndata:\n  token: " + enc + "\nstringData:\n  pw: canary-string\n"
	for _, in := range []string{yamlText, `{"kind":"List","items":[{"kind":"Secret","data":{"token":"` + enc + `"}}]}`} {
		got := text(mcp.MaskResult(mcpgo.NewToolResultText(in)))
		if strings.Contains(got, "canary") || strings.Contains(got, enc) || !strings.Contains(got, "token: '****'") && !strings.Contains(got, `"token": "****"`) {
			t.Errorf("document text not masked:\n%s", got)
		}
	}
	// A value seen in the structured content is scrubbed from the text too, raw and decoded.
	res := mcpgo.NewToolResultStructured(map[string]any{"object": map[string]any{"kind": "Secret", "data": map[string]any{"token": enc}}},
		"token is "+enc+" = canary-decoded")
	res = mcp.MaskResult(res)
	raw, _ := json.Marshal(res)
	if strings.Contains(string(raw), "canary") || strings.Contains(string(raw), enc) || !strings.Contains(string(raw), `"token":"****"`) {
		t.Errorf("structured result not masked: %s", raw)
	}
}
