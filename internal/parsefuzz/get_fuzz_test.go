package parsefuzz

import (
	"strings"
	"testing"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/get"
)

// FuzzParseStatusSelector: a selector parses into terms with a condition and a known status, or
// fails with one error; never a panic.
func FuzzParseStatusSelector(f *testing.F) {
	for _, seed := range []string{"ready=false", "Ready=True,Stalled=unknown", "", " , ", "=", "ready", "ready==false", "ready=maybe", "a=b=c", "\x00=\xff", "réady=FALSE"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		terms, err := get.StatusSelectorTerms(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "invalid status selector") {
				t.Fatalf("%q: unclear error %v", s, err)
			}
			return
		}
		for _, term := range terms {
			cond, status, _ := strings.Cut(term, "=")
			if cond == "" || (status != "true" && status != "false" && status != "unknown") {
				t.Fatalf("%q parsed into %q", s, term)
			}
		}
	})
}
