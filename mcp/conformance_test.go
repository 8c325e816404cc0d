package mcp_test

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/mcp"
)

// Outcomes of the conformance suite's server scenarios (@modelcontextprotocol/conformance, all
// suites) against /mcp with the hidden --conformance-fixtures. Every scenario is listed: a new one
// fails the test until it is added here, and a scenario may only fail if it is listed as expectFail
// with the reason it is out of scope.
const (
	expectPass    = "pass"
	expectNoCheck = "no checks" // the scenario decided it does not apply and ran no check
	expectFail    = "fail"
)

var conformanceScenarios = map[string]struct{ outcome, why string }{
	"server-initialize":             {expectPass, ""},
	"logging-set-level":             {expectPass, ""},
	"ping":                          {expectPass, ""},
	"completion-complete":           {expectPass, ""},
	"tools-list":                    {expectPass, ""},
	"tools-call-simple-text":        {expectPass, ""},
	"tools-call-image":              {expectPass, ""},
	"tools-call-audio":              {expectPass, ""},
	"tools-call-embedded-resource":  {expectPass, ""},
	"tools-call-mixed-content":      {expectPass, ""},
	"tools-call-with-logging":       {expectPass, ""},
	"tools-call-error":              {expectPass, ""},
	"tools-call-with-progress":      {expectPass, ""},
	"tools-call-sampling":           {expectPass, ""},
	"tools-call-elicitation":        {expectPass, ""},
	"json-schema-2020-12":           {expectPass, ""},
	"elicitation-sep1034-defaults":  {expectPass, ""},
	"elicitation-sep1330-enums":     {expectPass, ""},
	"server-sse-multiple-streams":   {expectPass, ""},
	"resources-list":                {expectPass, ""},
	"resources-read-text":           {expectPass, ""},
	"resources-read-binary":         {expectPass, ""},
	"resources-templates-read":      {expectPass, ""},
	"resources-subscribe":           {expectPass, ""},
	"resources-unsubscribe":         {expectPass, ""},
	"prompts-list":                  {expectPass, ""},
	"prompts-get-simple":            {expectPass, ""},
	"prompts-get-with-args":         {expectPass, ""},
	"prompts-get-embedded-resource": {expectPass, ""},
	"prompts-get-with-image":        {expectPass, ""},
	"dns-rebinding-protection":      {expectPass, ""},
	// SEP-1699 polling (the server closes a POST's SSE stream and the client resumes with
	// Last-Event-ID) applies only to servers that answer tool calls as SSE streams; mcp-go answers
	// them with JSON, so the scenario reports itself not applicable.
	"server-sse-polling": {expectNoCheck, "mcp-go answers POST with JSON, not a resumable SSE stream"},
}

var summaryLine = regexp.MustCompile(`(?m)^[✓✗] (\S+): (\d+) passed, (\d+) failed`)

func TestConformanceSuite(t *testing.T) {
	n := findNode(t)
	kc := filepath.Join(t.TempDir(), "none")
	h := mcp.NewHTTPHandler(mcp.NewServer(testcluster.Cache(kc), mcp.Options{MaskSecrets: true, ConformanceFixtures: true}), mcp.TransportHTTP, "")
	srv := httptest.NewServer(h)
	defer srv.Close()
	defer h.CloseSessions(context.Background())

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cli := filepath.Join(n.modules, "@modelcontextprotocol", "conformance", "dist", "index.js")
	cmd := exec.CommandContext(ctx, n.node, cli, "server", "--url", srv.URL+"/mcp", "--suite", "all")
	cmd.Dir = t.TempDir() // it may write results/ there
	cmd.Env = os.Environ()
	out, err := cmd.CombinedOutput()
	matches := summaryLine.FindAllStringSubmatch(string(out), -1)
	if len(matches) == 0 {
		t.Fatalf("no scenario summary in the conformance output (%v):\n%s", err, out)
	}
	seen := map[string]bool{}
	var passed []string
	for _, m := range matches {
		name := m[1]
		pass, _ := strconv.Atoi(m[2])
		fail, _ := strconv.Atoi(m[3])
		seen[name] = true
		want, known := conformanceScenarios[name]
		got := expectPass
		switch {
		case fail > 0:
			got = expectFail
		case pass == 0:
			got = expectNoCheck
		}
		switch {
		case !known:
			t.Errorf("new conformance scenario %s (%s): add it to conformanceScenarios", name, got)
		case got != want.outcome:
			t.Errorf("scenario %s: %s, expected %s %s", name, got, want.outcome, want.why)
		case got == expectPass:
			passed = append(passed, name)
		}
	}
	for name := range conformanceScenarios {
		if !seen[name] {
			t.Errorf("scenario %s did not run", name)
		}
	}
	t.Logf("%d scenarios pass: %v", len(passed), passed)
	if t.Failed() {
		t.Logf("conformance output:\n%s", out)
	}
}
