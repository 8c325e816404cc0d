package mcp_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	mcpgo "github.com/mark3labs/mcp-go/mcp"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/mcp"
)

// TestLoadConcurrentClients: 50 streamable HTTP clients x 100 mixed reads and dry-run writes
// against one in-process server; no call may fail, and goroutines and heap return to where they were.
func TestLoadConcurrentClients(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	c := testcluster.Get(t)
	ns := c.Namespace(t, "load")
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	const clients, callsPerClient = 50, 100
	h := mcp.NewHTTPHandler(mcp.NewServer(testcluster.Cache(c.Kubeconfig), mcp.Options{MaskSecrets: true}), mcp.TransportHTTP, "")
	srv := httptest.NewServer(h)
	defer srv.Close()
	mix := []struct {
		tool string
		args map[string]any
	}{
		{"get_flux_resources", map[string]any{"kind": "ks", "namespace": ns}},
		{"list_kubernetes_contexts", map[string]any{}},
		{"get_kubernetes_resources", map[string]any{"kind": "kustomization", "name": "apps", "namespace": ns}},
		{"list_kubernetes_contexts", map[string]any{}},
		// Dry-run writes, one call in four: the API server runs admission and answers, and
		// nothing is stored. Half the calls stay cheap, as before the writes joined the mix,
		// so that the run takes about as long.
		{"apply_kubernetes_manifest", map[string]any{"dry_run": true, "manifest": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: load, namespace: " + ns + "}\ndata: {a: b}\n"}},
		{"list_kubernetes_contexts", map[string]any{}},
		{"patch_kubernetes_resource", map[string]any{"dry_run": true, "kind": "kustomization", "name": "apps", "namespace": ns, "patch": `{"metadata":{"labels":{"load":"dry"}}}`}},
		{"list_kubernetes_contexts", map[string]any{}},
	}
	// Warm up: the first call fills the discovery cache that every later one shares.
	warm := httpClient(t, srv.URL+"/mcp")
	for _, m := range mix {
		if res := call(t, warm, m.tool, m.args); res.IsError {
			t.Fatalf("%s: %s", m.tool, text(res))
		}
	}
	_ = warm.Close()
	h.CloseSessions(context.Background())
	http.DefaultTransport.(*http.Transport).CloseIdleConnections()
	goroutines, heap := settle()

	var mu sync.Mutex
	var latencies []time.Duration
	var failures []string
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cl, err := client.NewStreamableHttpClient(srv.URL + "/mcp")
			if err == nil {
				err = cl.Start(context.Background())
			}
			if err == nil {
				init := mcpgo.InitializeRequest{}
				init.Params.ProtocolVersion = mcpgo.LATEST_PROTOCOL_VERSION
				init.Params.ClientInfo = mcpgo.Implementation{Name: "load", Version: "0"}
				_, err = cl.Initialize(context.Background(), init)
			}
			if err != nil {
				mu.Lock()
				failures = append(failures, "connect: "+err.Error())
				mu.Unlock()
				return
			}
			defer func() { _ = cl.Close() }()
			for j := 0; j < callsPerClient; j++ {
				m := mix[(i+j)%len(mix)]
				req := mcpgo.CallToolRequest{}
				req.Params.Name, req.Params.Arguments = m.tool, m.args
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				t0 := time.Now()
				res, err := cl.CallTool(ctx, req)
				d := time.Since(t0)
				cancel()
				mu.Lock()
				latencies = append(latencies, d)
				if err != nil {
					failures = append(failures, fmt.Sprintf("%s: %v", m.tool, err))
				} else if res.IsError {
					failures = append(failures, fmt.Sprintf("%s: %s", m.tool, text(res)))
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if len(failures) > 0 {
		t.Errorf("%d of %d calls failed; first: %s", len(failures), clients*callsPerClient, failures[0])
	}
	if len(latencies) != clients*callsPerClient {
		t.Errorf("%d calls made, want %d", len(latencies), clients*callsPerClient)
	}
	sort.Slice(latencies, func(a, b int) bool { return latencies[a] < latencies[b] })
	if n := len(latencies); n > 0 {
		summary := fmt.Sprintf("load: %d clients x %d mixed calls (reads and dry-run writes) in %v: p50 %v, p99 %v, max %v",
			clients, callsPerClient, elapsed.Round(time.Millisecond), latencies[n/2].Round(time.Microsecond),
			latencies[n*99/100].Round(time.Microsecond), latencies[n-1].Round(time.Microsecond))
		t.Log(summary)
		// go test shows a passing package's output only with -v: the line also goes under the
		// cache, where `make test` prints it after the run.
		fmt.Println(summary)
		writeLoadSummary(t, time.Now().UTC().Format(time.RFC3339)+" "+summary+"\n")
	}
	// The dry-run writes stored nothing.
	if _, err := c.Kube.CoreV1().ConfigMaps(ns).Get(context.Background(), "load", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("a dry-run apply stored its ConfigMap: %v", err)
	}

	h.CloseSessions(context.Background())
	http.DefaultTransport.(*http.Transport).CloseIdleConnections()
	var g int
	var hp uint64
	deadline := time.Now().Add(15 * time.Second)
	for {
		g, hp = settle()
		if (g <= goroutines+5 && hp <= heap+32<<20) || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("goroutines %d -> %d, heap %d MiB -> %d MiB", goroutines, g, heap>>20, hp>>20)
	if g > goroutines+5 {
		buf := make([]byte, 1<<20)
		t.Errorf("goroutines did not return to the baseline: %d, was %d\n%s", g, goroutines, buf[:runtime.Stack(buf, true)])
	}
	if hp > heap+32<<20 {
		t.Errorf("heap did not return to the baseline: %d MiB, was %d MiB", hp>>20, heap>>20)
	}
}

func settle() (int, uint64) {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return runtime.NumGoroutine(), ms.HeapAlloc
}

// writeLoadSummary writes the load test's summary to load/latest.txt under the cache
// (KFM_CACHE_DIR, set by the Makefile, else ~/.cache/kubectl-flux-mcp).
func writeLoadSummary(t *testing.T, line string) {
	cache := os.Getenv("KFM_CACHE_DIR")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache", "kubectl-flux-mcp")
	}
	dir := filepath.Join(cache, "load")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Errorf("load summary: %v", err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, "latest.txt"), []byte(line), 0o644); err != nil {
		t.Errorf("load summary: %v", err)
	}
}
