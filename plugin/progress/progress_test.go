package progress

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/syncbuf"
)

func TestTerminalPlainLines(t *testing.T) {
	var b bytes.Buffer
	r := newTerminal(&b, false)
	r.Step("annotating Kustomization apps/podinfo")
	r.Waiting("waiting for Kustomization apps/podinfo reconciliation")
	r.Success("applied revision main@sha1:1234")
	r.Failure("HelmRelease apps/redis reconciliation failed: install failed")
	r.Stop()
	want := "► annotating Kustomization apps/podinfo\n" +
		"◎ waiting for Kustomization apps/podinfo reconciliation\n" +
		"✔ applied revision main@sha1:1234\n" +
		"✗ HelmRelease apps/redis reconciliation failed: install failed\n"
	if b.String() != want {
		t.Fatalf("got:\n%q\nwant:\n%q", b.String(), want)
	}
}

func TestTerminalSpinnerIsReplacedByTheResultLine(t *testing.T) {
	var b syncbuf.Buffer
	r := newTerminal(&b, true)
	r.Waiting("waiting for Kustomization apps/podinfo reconciliation")
	r.Waiting("waiting for Kustomization apps/redis reconciliation")
	r.Success("first done")
	r.Success("second done")
	r.Stop()
	out := b.String()
	if !strings.Contains(out, "\r\033[K⠋ waiting for Kustomization apps/podinfo reconciliation") {
		t.Errorf("no spinner line drawn: %q", out)
	}
	if !strings.Contains(out, "waiting for 2 objects") || !strings.Contains(out, "waiting for 1 object") {
		t.Errorf("overlapping waits are not counted: %q", out)
	}
	if !strings.Contains(out, "\r\033[K✔ first done\n") {
		t.Errorf("the result line does not replace the spinner: %q", out)
	}
	if !strings.HasSuffix(out, "✔ second done\n") {
		t.Errorf("the spinner should stop after the last wait ends: %q", out)
	}
}

func TestOrGivesNop(t *testing.T) {
	if _, ok := Or(nil).(Nop); !ok {
		t.Fatal("Or(nil) should be Nop")
	}
	r := newTerminal(&bytes.Buffer{}, false)
	if Or(r) != Reporter(r) {
		t.Fatal("Or(r) should be r")
	}
}
