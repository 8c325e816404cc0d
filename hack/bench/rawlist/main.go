// Command rawlist is the floor `make bench` compares `get` with: a plain client-go program that
// loads a kubeconfig, lists the given resources across all namespaces with the dynamic client,
// concurrently, and prints how many objects each has. No discovery, no formatting.
//
//	rawlist --kubeconfig FILE GROUP/VERSION/RESOURCE...
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/tools/clientcmd"
)

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig file")
	flag.Parse()
	if err := run(*kubeconfig, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "rawlist:", err)
		os.Exit(1)
	}
}

func run(kubeconfig string, resources []string) error {
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return err
	}
	// As the plugin does: a list of many kinds must not wait on client-go's default rate limit.
	cfg.QPS, cfg.Burst = 100, 200
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return err
	}
	counts := make([]int, len(resources))
	errs := make([]error, len(resources))
	var wg sync.WaitGroup
	for i, r := range resources {
		parts := strings.Split(r, "/")
		if len(parts) != 3 {
			return fmt.Errorf("resource %q: want GROUP/VERSION/RESOURCE", r)
		}
		gvr := schema.GroupVersionResource{Group: parts[0], Version: parts[1], Resource: parts[2]}
		wg.Add(1)
		go func() {
			defer wg.Done()
			l, err := dyn.Resource(gvr).List(context.Background(), metav1.ListOptions{})
			if err != nil {
				errs[i] = err
				return
			}
			counts[i] = len(l.Items)
		}()
	}
	wg.Wait()
	for i, r := range resources {
		if errs[i] != nil {
			return fmt.Errorf("%s: %w", r, errs[i])
		}
		fmt.Printf("%s\t%d\n", r, counts[i])
	}
	return nil
}
