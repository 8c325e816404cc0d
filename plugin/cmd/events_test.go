package cmd_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/syncbuf"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cmd"
)

// recordEvent writes a core/v1 Event about a Flux object, last seen ago.
func recordEvent(t *testing.T, c *testcluster.Cluster, ns, kind, apiVersion, name, typ, reason, msg string, ago time.Duration) {
	t.Helper()
	at := metav1.NewTime(time.Now().Add(-ago))
	e := &corev1.Event{
		ObjectMeta:     metav1.ObjectMeta{GenerateName: name + ".", Namespace: ns},
		InvolvedObject: corev1.ObjectReference{Kind: kind, APIVersion: apiVersion, Name: name, Namespace: ns},
		Type:           typ, Reason: reason, Message: msg, Count: 1, FirstTimestamp: at, LastTimestamp: at,
		Source: corev1.EventSource{Component: "kustomize-controller"},
	}
	if _, err := c.Kube.CoreV1().Events(ns).Create(context.Background(), e, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
}

func eventsSample(t *testing.T) (*testcluster.Cluster, string) {
	t.Helper()
	c, ns := sample(t)
	recordEvent(t, c, ns, "Kustomization", "kustomize.toolkit.fluxcd.io/v1", "apps", "Normal", "ReconciliationSucceeded", "Reconciliation finished", time.Hour)
	recordEvent(t, c, ns, "GitRepository", "source.toolkit.fluxcd.io/v1", "flux-system", "Warning", "GitOperationFailed", "failed to checkout", 20*time.Minute)
	recordEvent(t, c, ns, "Kustomization", "kustomize.toolkit.fluxcd.io/v1", "apps", "Warning", "BuildFailed", "kustomize build failed", 10*time.Minute)
	recordEvent(t, c, ns, "Deployment", "apps/v1", "web", "Normal", "ScalingReplicaSet", "Scaled up", time.Minute)
	return c, ns
}

func TestEventsTable(t *testing.T) {
	c, ns := eventsSample(t)
	out, _, err := runCLI("events", "ks/apps", "-n", ns, "--kubeconfig", c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || strings.Join(strings.Fields(lines[0]), " ") != "LAST SEEN TYPE REASON OBJECT MESSAGE" {
		t.Fatalf("events:\n%s", out)
	}
	for i, want := range []string{"60m Normal ReconciliationSucceeded Kustomization/apps", "20m Warning GitOperationFailed GitRepository/flux-system", "10m Warning BuildFailed Kustomization/apps"} {
		if !strings.HasPrefix(strings.Join(strings.Fields(lines[i+1]), " "), want) {
			t.Errorf("row %d = %q, want %q…", i+1, lines[i+1], want)
		}
	}

	out, _, err = runCLI("events", "-A", "--types", "Warning", "--since", "15m", "--grep", "build", "--kubeconfig", c.Kubeconfig)
	if err != nil || !strings.HasPrefix(out, "NAMESPACE") || !strings.Contains(out, ns) || strings.Contains(out, "GitOperationFailed") {
		t.Errorf("-A with filters: %v\n%s", err, out)
	}

	out, _, err = runCLI("events", "-n", ns, "-o", "json", "--kubeconfig", c.Kubeconfig)
	var res struct {
		Events []struct{ Object, Reason string }
		Total  int
	}
	if err != nil || json.Unmarshal([]byte(out), &res) != nil || res.Total != 3 || res.Events[2].Reason != "BuildFailed" {
		t.Errorf("-o json: %v %+v\n%s", err, res, out)
	}

	_, stderr, err := runCLI("events", "hr", "podinfo", "-n", ns, "--kubeconfig", c.Kubeconfig)
	if err != nil || !strings.Contains(stderr, "No events found for HelmRelease/"+ns+"/podinfo, HelmRepository/"+ns+"/podinfo, HelmChart/"+ns+"/"+ns+"-podinfo.") {
		t.Errorf("no events: %v %q", err, stderr)
	}
}

func TestEventsBadInput(t *testing.T) {
	c, ns := eventsSample(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"events", "--types", "Error", "-n", ns}, `invalid event type "Error"`},
		{[]string{"events", "--grep", "([", "-n", ns}, `invalid grep pattern "(["`},
		{[]string{"events", "--since", "soon"}, `invalid argument "soon" for "--since"`},
		{[]string{"events", "ks", "apps", "-A"}, "cannot be named across all namespaces"},
		{[]string{"events", "-w", "-o", "json"}, "-w prints rows as events come: it cannot be combined with -o"},
		{[]string{"events", "a", "b", "c"}, "accepts at most 2 arg(s)"},
	}
	for _, tc := range cases {
		_, _, err := runCLI(append(tc.args, "--kubeconfig", c.Kubeconfig)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.args, err, tc.want)
		}
	}
}

func TestEventsWatchPrintsNewEvents(t *testing.T) {
	c, ns := eventsSample(t)
	out := &syncbuf.Buffer{}
	streams := genericiooptions.IOStreams{In: strings.NewReader(""), Out: out, ErrOut: out}
	root := cmd.NewRootCommand(cmd.NewEnv(streams))
	root.SetArgs([]string{"events", "ks", "apps", "-n", ns, "-w", "--kubeconfig", c.Kubeconfig})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()

	waitFor := func(what string) {
		t.Helper()
		for !strings.Contains(out.String(), what) {
			select {
			case err := <-done:
				t.Fatalf("command ended (%v) before printing %q:\n%s", err, what, out.String())
			case <-ctx.Done():
				t.Fatalf("no %q within the timeout:\n%s", what, out.String())
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
	waitFor("BuildFailed")
	recordEvent(t, c, ns, "Kustomization", "kustomize.toolkit.fluxcd.io/v1", "infrastructure", "Warning", "NotThisOne", "other object", 0)
	recordEvent(t, c, ns, "Kustomization", "kustomize.toolkit.fluxcd.io/v1", "apps", "Warning", "HealthCheckFailed", "timeout waiting for Deployment/web", 0)
	waitFor("HealthCheckFailed")
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("-w ended with %v, want a clean stop on cancel", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("-w did not stop when its context ended")
	}
	if text := out.String(); strings.Contains(text, "NotThisOne") || strings.Count(text, "LAST SEEN") != 1 {
		t.Errorf("watch output:\n%s", text)
	}
}
