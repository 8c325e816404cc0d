package mcp_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	mcpgo "github.com/mark3labs/mcp-go/mcp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	tc "github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcontroller"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/mcp"
)

// Canaries of TestSecretCanariesOverEveryTransport, one per place a secret value can live.
const (
	cnData        = "cnry-data-a81f0c"
	cnStringData  = "cnry-stringdata-52d9e7"
	cnLastApplied = "cnry-lastapplied-6b04aa"
	cnValuesFrom  = "cnry-valuesfrom-c3e1d8"
	cnDryRun      = "cnry-dryrun-90fb21"
	// cnEvent is the password of a source URL that a controller quoted in an Event.
	cnEvent = "cnry-event-1d6f3a"
	// cnProgress is the password of a source URL that a controller quoted in a failed
	// reconciliation's Ready message, which progress notifications repeat.
	cnProgress = "cnry-progress-4e7d19"
)

// progressFailure is what the GitRepository "leaky" fails with: a clone URL with its credentials.
const progressFailure = "failed to checkout and determine revision: unable to clone 'https://flux:" + cnProgress + "@git.example.internal/org/app.git': authentication required"

const valuesYAML = "replicaCount: 1\nadminPassword: " + cnValuesFrom + "\n"

// canaryForms are the canaries and the encodings a leak could take: raw, base64 of the value
// alone, and base64 of the whole valuesFrom document.
func canaryForms() map[string]string {
	forms := map[string]string{}
	for _, c := range []string{cnData, cnStringData, cnLastApplied, cnValuesFrom, cnDryRun, cnEvent, cnProgress} {
		forms[c] = c
		forms["base64("+c+")"] = base64.StdEncoding.EncodeToString([]byte(c))
	}
	forms["base64(values.yaml)"] = base64.StdEncoding.EncodeToString([]byte(valuesYAML))
	return forms
}

func canaryFixtures(t *testing.T, c *testcluster.Cluster) string {
	t.Helper()
	ns := c.Namespace(t, "canary")
	ctx := context.Background()
	secrets := []*corev1.Secret{
		{ObjectMeta: metav1.ObjectMeta{Name: "data", Namespace: ns}, Data: map[string][]byte{"password": []byte(cnData)}},
		// stringData is write-only: the API server stores it in data.
		{ObjectMeta: metav1.ObjectMeta{Name: "stringdata", Namespace: ns}, StringData: map[string]string{"token": cnStringData}},
		// What kubectl apply leaves behind: the applied manifest, values included, in an annotation.
		{ObjectMeta: metav1.ObjectMeta{Name: "applied", Namespace: ns, Annotations: map[string]string{
			"kubectl.kubernetes.io/last-applied-configuration": `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"applied","namespace":"` + ns + `"},"stringData":{"key":"` + cnLastApplied + `"}}`}},
			Data: map[string][]byte{"key": []byte(cnLastApplied)}},
		{ObjectMeta: metav1.ObjectMeta{Name: "podinfo-values", Namespace: ns}, Data: map[string][]byte{"values.yaml": []byte(valuesYAML)}},
	}
	for _, s := range secrets {
		if _, err := c.Kube.CoreV1().Secrets(ns).Create(ctx, s, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	c.Create(t, fixtures.Object{Plural: "helmrepositories", Manifest: fmt.Sprintf(`
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: podinfo, namespace: %s}
spec: {interval: 1h, url: "https://charts.example.internal/podinfo"}`, ns), Status: fixtures.Ready("True", "Succeeded", "stored artifact", nil)})
	c.Create(t, fixtures.Object{Plural: "helmreleases", Manifest: fmt.Sprintf(`
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: podinfo, namespace: %s}
spec:
  interval: 10m
  chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: podinfo}}}
  valuesFrom: [{kind: Secret, name: podinfo-values, valuesKey: values.yaml}]`, ns), Status: fixtures.Ready("True", "InstallSucceeded", "Helm install succeeded", nil)})
	// A Warning Event of the HelmRelease that quotes a source URL with its credentials.
	ev := &corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "podinfo.leak", Namespace: ns},
		InvolvedObject: corev1.ObjectReference{APIVersion: "helm.toolkit.fluxcd.io/v2", Kind: "HelmRelease", Name: "podinfo", Namespace: ns},
		Type:           corev1.EventTypeWarning, Reason: "ArtifactFailed", Count: 1,
		Message:        "failed to fetch chart from 'https://flux:" + cnEvent + "@charts.example.internal/podinfo': 401 Unauthorized",
		FirstTimestamp: metav1.Now(), LastTimestamp: metav1.Now(), Source: corev1.EventSource{Component: "helm-controller"}}
	if _, err := c.Kube.CoreV1().Events(ns).Create(ctx, ev, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	// A source whose reconciliations fail quoting its URL (the test's controller answers them).
	c.Create(t, tc.GitRepository(ns, "leaky"))
	return ns
}

// progressCalls wait for the failing reconciliation of "leaky" with a progressToken, so that
// the failure message goes out in a progress notification.
func progressCalls(ns string) []struct {
	tool string
	args map[string]any
} {
	return []struct {
		tool string
		args map[string]any
	}{
		{"reconcile_flux_resource", map[string]any{"kind": "gitrepository", "name": "leaky", "namespace": ns, "timeout": "15s"}},
		{"resume_flux_resource", map[string]any{"kind": "gitrepository", "name": "leaky", "namespace": ns, "timeout": "15s"}},
	}
}

// progressLeaks calls the progress calls on cl and returns the canary forms found in the progress
// notifications it received; started says whether the client routes notifications already.
func progressLeaks(t *testing.T, cl *client.Client, started bool, ns string) []string {
	t.Helper()
	var log progressLog
	if started {
		cl.OnNotification(func(n mcpgo.JSONRPCNotification) {
			if n.Method != string(mcpgo.MethodNotificationProgress) {
				return
			}
			msg, _ := n.Params.AdditionalFields["message"].(string)
			log.mu.Lock()
			log.messages = append(log.messages, msg)
			log.mu.Unlock()
		})
	} else {
		log.listen(t, cl)
	}
	for _, cc := range progressCalls(ns) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		res, err := callWithProgress(ctx, t, cl, cc.tool, cc.args)
		cancel()
		if err != nil {
			t.Fatalf("%s: %v", cc.tool, err)
		}
		if !res.IsError || !strings.Contains(text(res), "authentication required") {
			t.Errorf("%s did not fail as the controller made it: %s", cc.tool, text(res))
		}
	}
	// The last notification may trail the result by a moment.
	time.Sleep(200 * time.Millisecond)
	msgs, _ := log.get()
	if len(msgs) == 0 {
		t.Errorf("no progress notifications")
	}
	return found(t, msgs)
}

// canaryCalls calls every tool in ways that could show a secret value.
func canaryCalls(ns string) []struct {
	tool string
	args map[string]any
} {
	secretManifest := fmt.Sprintf("apiVersion: v1\nkind: Secret\nmetadata: {name: dry, namespace: %s}\nstringData: {token: %s}\n", ns, cnDryRun)
	type c = struct {
		tool string
		args map[string]any
	}
	out := []c{
		{"get_kubernetes_resources", map[string]any{"kind": "secrets", "namespace": ns}},
		{"get_kubernetes_resources", map[string]any{"kind": "secrets", "all_namespaces": true}},
		{"get_kubernetes_resources", map[string]any{"kind": "secret", "namespace": ns, "name": "applied"}},
		{"get_kubernetes_resources", map[string]any{"kind": "secret", "namespace": ns, "name": "podinfo-values"}},
		{"get_kubernetes_resources", map[string]any{"kind": "secret", "namespace": ns, "fields": []string{".data", ".metadata.annotations", "{..password}", "{.data.token}", "{.data['values\\.yaml']}", ".metadata"}}},
		{"get_kubernetes_resources", map[string]any{"kind": "secrets", "namespace": ns, "fields": []string{"{}", "{.}", "{@}", "{..}"}}},
		{"get_kubernetes_resources", map[string]any{"kind": "helmrelease", "namespace": ns}},
		{"get_kubernetes_api_resources", map[string]any{}},
		{"export_flux_resources", map[string]any{"kind": "all", "all": true, "namespace": ns}},
		{"export_flux_resources", map[string]any{"kind": "helmrelease", "name": "podinfo", "namespace": ns}},
		{"get_flux_resources", map[string]any{"kind": "all", "namespace": ns}},
		{"get_flux_tree", map[string]any{"kind": "helmrelease", "name": "podinfo", "namespace": ns}},
		{"diagnose_flux_resource", map[string]any{"kind": "helmrelease", "name": "podinfo", "namespace": ns}},
		{"diagnose_flux_resource", map[string]any{"all": true, "namespace": ns}},
		{"get_flux_dependency_graph", map[string]any{"namespace": ns}},
		{"trace_flux_resource", map[string]any{"kind": "Secret", "api_version": "v1", "name": "podinfo-values", "namespace": ns}},
		{"trace_flux_resource", map[string]any{"kind": "Secret", "api_version": "v1", "name": "applied", "namespace": ns}},
		{"get_flux_events", map[string]any{"namespace": ns}},
		{"get_flux_logs", map[string]any{"limit": 5}},
		{"get_flux_stats", map[string]any{"namespace": ns}},
		{"check_flux", map[string]any{}},
		{"explain_flux_api", map[string]any{"path": "helmrelease.spec.valuesFrom"}},
		{"list_kubernetes_contexts", map[string]any{}},
		{"apply_kubernetes_manifest", map[string]any{"manifest": secretManifest, "dry_run": true}},
		{"apply_kubernetes_manifest", map[string]any{"manifest": fmt.Sprintf("apiVersion: v1\nkind: Secret\nmetadata: {name: data, namespace: %s}\ndata: {other: %s}\n", ns, base64.StdEncoding.EncodeToString([]byte("x"))), "dry_run": true, "overwrite": true}},
		{"patch_kubernetes_resource", map[string]any{"kind": "secret", "name": "applied", "namespace": ns, "patch": `{"metadata":{"labels":{"a":"b"}}}`, "dry_run": true}},
		{"patch_kubernetes_resource", map[string]any{"kind": "secret", "name": "data", "namespace": ns, "patch": `{"stringData":{"more":"` + cnDryRun + `"}}`, "dry_run": true}},
		{"delete_kubernetes_resource", map[string]any{"kind": "secret", "name": "podinfo-values", "namespace": ns, "dry_run": true}},
		{"suspend_flux_resource", map[string]any{"kind": "helmrelease", "name": "podinfo", "namespace": ns}},
		{"resume_flux_resource", map[string]any{"kind": "helmrelease", "name": "podinfo", "namespace": ns, "wait": false}},
		{"reconcile_flux_resource", map[string]any{"kind": "helmrelease", "name": "podinfo", "namespace": ns, "wait": false}},
	}
	return out
}

// found lists the canary forms in a result: its text and structured content, as sent.
func found(t *testing.T, res any) []string {
	t.Helper()
	raw, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for name, form := range canaryForms() {
		if strings.Contains(string(raw), form) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// mayFail are the tools that answer an error here: no Flux controllers run in the test cluster.
var mayFail = map[string]bool{"get_flux_logs": true, "check_flux": true}

func TestSecretCanariesOverEveryTransport(t *testing.T) {
	c := testcluster.Get(t)
	ns := canaryFixtures(t, c)
	calls := canaryCalls(ns)
	// Every tool is called.
	called := map[string]bool{}
	for _, cl := range calls {
		called[cl.tool] = true
	}
	tools := map[string]bool{}
	for _, tool := range goldenToolNames(t) {
		tools[tool] = true
		if !called[tool] {
			t.Errorf("the canary test does not call %s", tool)
		}
	}

	masked := map[string]*client.Client{
		"stdio": stdioClient(t, c, "serve"),
		"sse":   httpClient(t, httpServer(t, c, mcp.TransportSSE, mcp.Options{MaskSecrets: true})+"/sse"),
		"http":  httpClient(t, httpServer(t, c, mcp.TransportHTTP, mcp.Options{MaskSecrets: true})+"/mcp"),
	}
	ctl := tc.Start(t, c.Config, ns, "GitRepository")
	ctl.Set("GitRepository", "leaky", tc.Behaviour{Fail: progressFailure})
	for transport, cl := range masked {
		// stdio clients route notifications once started; the HTTP ones were started to connect.
		if l := progressLeaks(t, cl, transport != "stdio", ns); len(l) > 0 {
			t.Errorf("%s progress notifications leaked %v", transport, l)
		}
		for _, cc := range calls {
			res := call(t, cl, cc.tool, cc.args)
			if res.IsError && !mayFail[cc.tool] {
				t.Errorf("%s %s %v: %s", transport, cc.tool, cc.args, text(res))
			}
			if l := found(t, res); len(l) > 0 {
				t.Errorf("%s %s %v leaked %v:\n%s", transport, cc.tool, cc.args, l, text(res))
			}
		}
	}

	// Nothing reached the stdio server's stderr, where mcp-go logs what it could not answer.
	if logs := stderrOf(t, masked["stdio"]); len(found(t, logs)) > 0 {
		t.Errorf("serve's stderr leaked %v:\n%s", found(t, logs), logs)
	}

	// The control: with --mask-secrets=false the same calls show every canary, so the check
	// above can fail.
	plain := stdioClient(t, c, "serve", "--mask-secrets=false")
	if l := progressLeaks(t, plain, false, ns); !slices.Contains(l, cnProgress) {
		t.Errorf("--mask-secrets=false progress notifications never showed %s; shown: %v", cnProgress, l)
	}
	shown := map[string]bool{}
	for _, cc := range calls {
		for _, f := range found(t, call(t, plain, cc.tool, cc.args)) {
			shown[f] = true
		}
	}
	for _, want := range []string{"base64(" + cnData + ")", "base64(" + cnStringData + ")", "base64(" + cnLastApplied + ")", cnLastApplied, "base64(values.yaml)",
		"base64(" + cnDryRun + ")", cnEvent, cnProgress} {
		if !shown[want] {
			t.Errorf("--mask-secrets=false never showed %s; shown: %v", want, shown)
		}
	}
}

// stderrOf ends a stdio client's server and returns what it wrote to stderr.
func stderrOf(t *testing.T, cl *client.Client) string {
	t.Helper()
	r, ok := client.GetStderr(cl)
	if !ok {
		t.Fatal("not a stdio client")
	}
	_ = cl.Close()
	out := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(r)
		out <- b
	}()
	select {
	case b := <-out:
		return string(b)
	case <-time.After(10 * time.Second):
		t.Fatal("serve's stderr did not end with the process")
		return ""
	}
}

// goldenToolNames reads the tool names from the golden tools/list.
func goldenToolNames(t *testing.T) []string {
	t.Helper()
	cl := stdioClient(t, testcluster.Get(t), "serve")
	res, err := cl.ListTools(context.Background(), listToolsRequest())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range res.Tools {
		names = append(names, tool.Name)
	}
	return names
}

func listToolsRequest() mcpgo.ListToolsRequest { return mcpgo.ListToolsRequest{} }
