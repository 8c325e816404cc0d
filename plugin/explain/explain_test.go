package explain_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/explain"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

func TestMain(m *testing.M) { testcluster.Main(m) }

// run explains, waiting while the fresh test server has not yet published the CRD schemas.
func run(t *testing.T, cache *cluster.Cache, o *explain.Options) (*explain.Result, error) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		opts := *o
		res, err := operation.Execute(ctx, cache, &opts)
		cancel()
		var np *explain.NotPublishedError
		if !errors.As(err, &np) || time.Now().After(deadline) {
			return res, err
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func TestExplainFieldOfAShortName(t *testing.T) {
	c := testcluster.Get(t)
	res, err := run(t, testcluster.Cache(c.Kubeconfig), &explain.Options{Path: "ks.spec.postBuild"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Kind != "Kustomization" || res.APIVersion != "kustomize.toolkit.fluxcd.io/v1" || res.Field != "spec.postBuild" {
		t.Errorf("result = %+v", res)
	}
	for _, want := range []string{"GROUP:      kustomize.toolkit.fluxcd.io", "KIND:       Kustomization", "VERSION:    v1",
		"FIELD: postBuild <Object>", "DESCRIPTION:", "substitute\t<map[string]string>", "substituteFrom\t<[]Object>"} {
		if !strings.Contains(res.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, res.Text)
		}
	}
}

func TestExplainKindRecursiveAndVersions(t *testing.T) {
	c := testcluster.Get(t)
	cache := testcluster.Cache(c.Kubeconfig)
	res, err := run(t, cache, &explain.Options{Path: "HelmRelease.helm.toolkit.fluxcd.io.spec.chart", Recursive: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Text, "FIELDS:") || !strings.Contains(res.Text, "enum: HelmRepository, GitRepository, Bucket") || !strings.Contains(res.Text, "    sourceRef\t<Object> -required-") {
		t.Errorf("recursive text lacks the nested sourceRef:\n%s", res.Text)
	}
	res, err = run(t, cache, &explain.Options{Path: "imagepolicy", APIVersion: "image.toolkit.fluxcd.io/v1"})
	if err != nil || res.APIVersion != "image.toolkit.fluxcd.io/v1" || !strings.Contains(res.Text, "ImagePolicy is the Schema for the imagepolicies API") {
		t.Errorf("kind at an explicit version: %v %+v", err, res)
	}
}

func TestExplainErrorsAreOneClearLine(t *testing.T) {
	c := testcluster.Get(t)
	cache := testcluster.Cache(c.Kubeconfig)
	cases := map[string]*explain.Options{
		`a kind is required`:             {Path: " "},
		`unknown Flux kind "deployment"`: {Path: "deployment.spec"},
		`cannot explain helmrelease.spec.nope: field "nope" does not exist`:         {Path: "hr.spec.nope"},
		`GitRepository is not served at version v9; served versions: v1`:            {Path: "gitrepo", APIVersion: "v9"},
		`GitRepository belongs to the API group source.toolkit.fluxcd.io, not apps`: {Path: "gitrepo", APIVersion: "apps/v1"},
	}
	for want, o := range cases {
		_, err := run(t, cache, o)
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%+v: err = %v, want %q", o, err, want)
		}
	}
}
