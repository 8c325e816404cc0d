// Command demo starts the local test API server (etcd and kube-apiserver with the Flux CRDs),
// fills it with sample Flux objects in realistic states, writes a kubeconfig and waits for a signal.
// `make demo` runs it in the background; `make demo-stop` ends it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

func main() {
	// A flag set of its own: controller-runtime registers --kubeconfig on the global one.
	fs := flag.NewFlagSet("demo", flag.ExitOnError)
	kubeconfig := fs.String("kubeconfig", "", "where to write the kubeconfig of the demo cluster")
	_ = fs.Parse(os.Args[1:])
	if err := run(*kubeconfig); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(kubeconfig string) error {
	if kubeconfig == "" {
		return fmt.Errorf("--kubeconfig is required")
	}
	c, err := testcluster.Start()
	if err != nil {
		return err
	}
	defer c.Stop()
	ctx := context.Background()
	for _, ns := range []string{"flux-system", "apps"} {
		obj := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}
		if ns == "flux-system" {
			obj.Labels = map[string]string{"app.kubernetes.io/part-of": "flux", "app.kubernetes.io/version": "v2.9.5"}
		}
		if _, err := c.Kube.CoreV1().Namespaces().Create(ctx, obj, metav1.CreateOptions{}); err != nil {
			return err
		}
		if err := fixtures.CreateAll(ctx, c.Dynamic, fixtures.Sample(ns)); err != nil {
			return err
		}
	}
	kc, err := os.ReadFile(c.Kubeconfig)
	if err != nil {
		return err
	}
	// Written last: its presence tells `make demo` that the cluster is ready.
	if err := os.WriteFile(kubeconfig+".tmp", kc, 0o600); err != nil {
		return err
	}
	if err := os.Rename(kubeconfig+".tmp", kubeconfig); err != nil {
		return err
	}
	fmt.Println("demo cluster ready; kubeconfig:", kubeconfig)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	_ = os.Remove(kubeconfig)
	return nil
}
