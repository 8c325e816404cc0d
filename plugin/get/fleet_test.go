package get_test

import (
	"context"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/get"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

// fleetKubeconfig writes a kubeconfig with contexts one and two on the test cluster, down on a
// port where nothing listens, and hang on a listener that never answers.
func fleetKubeconfig(t *testing.T, c *testcluster.Cluster) string {
	t.Helper()
	cfg, err := clientcmd.LoadFromFile(c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	base := cfg.Contexts[cfg.CurrentContext]
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		conns []net.Conn
	)
	t.Cleanup(func() {
		_ = l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, conn)
			mu.Unlock()
		}
	}()
	cfg.Clusters["down"] = &clientcmdapi.Cluster{Server: "https://127.0.0.1:1", InsecureSkipTLSVerify: true}
	cfg.Clusters["hang"] = &clientcmdapi.Cluster{Server: "https://" + l.Addr().String(), InsecureSkipTLSVerify: true}
	for _, n := range []string{"one", "two"} {
		cfg.Contexts[n] = &clientcmdapi.Context{Cluster: base.Cluster, AuthInfo: base.AuthInfo}
	}
	cfg.Contexts["down"] = &clientcmdapi.Context{Cluster: "down", AuthInfo: base.AuthInfo}
	cfg.Contexts["hang"] = &clientcmdapi.Context{Cluster: "hang", AuthInfo: base.AuthInfo}
	p := filepath.Join(t.TempDir(), "fleet-kubeconfig")
	if err := clientcmd.WriteToFile(*cfg, p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestGetAcrossContexts(t *testing.T) {
	c := testcluster.Get(t)
	ns := c.Namespace(t, "fleet")
	if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(ns)); err != nil {
		t.Fatal(err)
	}
	kc := fleetKubeconfig(t, c)
	start := time.Now()
	res, err := operation.Execute(context.Background(), testcluster.Cache(kc), &get.Options{Kind: "ks", Namespace: ns, AllContexts: true, ContextTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 8*time.Second {
		t.Errorf("took %s: contexts are not queried concurrently under their timeout", took)
	}
	var got []string
	for _, cr := range res.Contexts {
		got = append(got, cr.Name)
	}
	if strings.Join(got, ",") != "down,envtest,hang,one,two" {
		t.Fatalf("contexts = %+v", res.Contexts)
	}
	if res.Contexts[1].Items != 3 || res.Contexts[3].Items != 3 || res.Contexts[1].Error != "" {
		t.Errorf("contexts = %+v", res.Contexts)
	}
	if !strings.Contains(res.Contexts[0].Error, "cannot reach the Kubernetes API server at https://127.0.0.1:1") {
		t.Errorf("down: %q", res.Contexts[0].Error)
	}
	if !strings.Contains(res.Contexts[2].Error, "no answer within 2s") {
		t.Errorf("hang: %q", res.Contexts[2].Error)
	}
	if len(res.Items) != 9 || res.Items[0].Context == "" {
		t.Errorf("items = %d, first %+v", len(res.Items), res.Items[0])
	}
	txt := res.Text()
	if !strings.Contains(txt, "\nCONTEXT ") || !strings.Contains(txt, "\ncontext hang: no answer within 2s\n") {
		t.Errorf("text:\n%s", txt)
	}

	res, err = operation.Execute(context.Background(), testcluster.Cache(kc), &get.Options{Kind: "hr", Namespace: ns, Contexts: []string{"two", "one"}})
	if err != nil || len(res.Items) != 4 || res.Contexts[0].Name != "two" {
		t.Errorf("contexts two,one: %v %+v", err, res)
	}
	_, err = operation.Execute(context.Background(), testcluster.Cache(kc), &get.Options{Kind: "hr", Contexts: []string{"three"}})
	if err == nil || !strings.Contains(err.Error(), `context "three" not found in kubeconfig; known contexts: [down envtest hang one two]`) {
		t.Errorf("unknown context: %v", err)
	}
}
