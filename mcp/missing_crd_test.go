package mcp_test

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

// deleteCRD removes a CRD and waits until the server no longer serves its resource.
func deleteCRD(t *testing.T, c *testcluster.Cluster, group, version, plural string) {
	t.Helper()
	ctx := context.Background()
	crds := schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}
	if err := c.Dynamic.Resource(crds).Delete(ctx, plural+"."+group, metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, err := c.Dynamic.Resource(schema.GroupVersionResource{Group: group, Version: version, Resource: plural}).List(ctx, metav1.ListOptions{Limit: 1})
		if apierrors.IsNotFound(err) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s.%s still served after 30s: %v", plural, group, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// A kind whose CRD is not installed: the CLI says so in one line and exits non-zero; the tool
// answers isError naming the kind, also in a session whose discovery was read while the CRD was
// still there; `get all` skips the kind.
func TestMissingCRDInCLIAndTool(t *testing.T) {
	c := testcluster.Separate(t, testcluster.Options{})
	cl := stdioClient(t, c, "serve")
	res := call(t, cl, "get_flux_resources", map[string]any{"kind": "imagepolicy", "namespace": "default"})
	if res.IsError {
		t.Fatalf("before the CRD is deleted: %s", text(res))
	}
	deleteCRD(t, c, "image.toolkit.fluxcd.io", "v1", "imagepolicies")

	const want = "the server does not serve ImagePolicy: the CRD imagepolicies.image.toolkit.fluxcd.io is not installed"
	res = call(t, cl, "get_flux_resources", map[string]any{"kind": "imagepolicy", "namespace": "default"})
	if !res.IsError || !strings.Contains(text(res), want) {
		t.Errorf("tool after the CRD went away: isError=%v text=%q, want %q", res.IsError, text(res), want)
	}
	res = call(t, cl, "get_flux_resources", map[string]any{"kind": "all", "namespace": "default"})
	if res.IsError || !strings.Contains(text(res), "not installed (skipped): ImagePolicy") {
		t.Errorf("get all should skip ImagePolicy: isError=%v text=%q", res.IsError, text(res))
	}

	cmd := exec.Command(testcluster.PluginBinary(t), "get", "imagepolicies", "-n", "default", "--kubeconfig", c.Kubeconfig)
	cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=/usr/bin:/bin"}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() == 0 || out.Len() != 0 || errOut.String() != "error: "+want+"\n" {
		t.Errorf("CLI: err %v, stdout %q, stderr %q; want a non-zero exit and the one line %q", err, out.String(), errOut.String(), want)
	}
}
