package logs

import (
	"slices"
	"testing"
	"time"
)

// Lines as the Flux controllers write them (zap JSON with controller-runtime's keys).
const (
	ksApplied = `{"level":"info","ts":"2026-03-02T09:41:12.345Z","msg":"server-side apply completed","controller":"kustomization","controllerGroup":"kustomize.toolkit.fluxcd.io","controllerKind":"Kustomization","Kustomization":{"name":"infrastructure","namespace":"flux-system"},"namespace":"flux-system","name":"infrastructure","reconcileID":"5f7c2a9e-3c1d-4f4b-9a51-0e8c7d2b1a10","output":{"Namespace/ingress-nginx":"unchanged"},"revision":"main@sha1:8b2f1c4e"}`
	ksFailed  = `{"level":"error","ts":"2026-03-02T09:41:13.001Z","msg":"Reconciler error","controller":"kustomization","controllerGroup":"kustomize.toolkit.fluxcd.io","controllerKind":"Kustomization","Kustomization":{"name":"apps","namespace":"flux-system"},"namespace":"flux-system","name":"apps","reconcileID":"0b6d9a4c-8e2f-4d1a-b7c3-6f5e4d3c2b1a","error":"kustomize build failed: accumulating resources: accumulation err='accumulating resources from 'podinfo''"}`
	gitStored = `{"level":"info","ts":"2026-03-02T09:41:10.500Z","msg":"stored artifact for commit 'Merge pull request #42'","controller":"gitrepository","controllerGroup":"source.toolkit.fluxcd.io","controllerKind":"GitRepository","GitRepository":{"name":"flux-system","namespace":"flux-system"},"namespace":"flux-system","name":"flux-system","reconcileID":"a1b2c3d4-0000-4000-8000-000000000001"}`
	// An event line names the object only under its kind, without controllerKind or name.
	hrEvent = `{"level":"debug","ts":1772444474.25,"logger":"events","msg":"Helm upgrade succeeded for release apps/podinfo.v3","type":"Normal","object":{"kind":"HelmRelease","namespace":"apps","name":"podinfo"},"HelmRelease":{"name":"podinfo","namespace":"apps"},"reason":"UpgradeSucceeded"}`
	startup = `{"level":"info","ts":"2026-03-02T09:40:00.000Z","logger":"setup","msg":"starting manager"}`
	panicky = `goroutine 1 [running]:`
)

func TestParseControllerLines(t *testing.T) {
	cases := []struct {
		line, want string
	}{
		{ksApplied, "2026-03-02T09:41:12.345Z info kustomize-controller Kustomization/flux-system/infrastructure server-side apply completed"},
		{ksFailed, "2026-03-02T09:41:13.001Z error kustomize-controller Kustomization/flux-system/apps Reconciler error: kustomize build failed: accumulating resources: accumulation err='accumulating resources from 'podinfo''"},
		{gitStored, "2026-03-02T09:41:10.500Z info kustomize-controller GitRepository/flux-system/flux-system stored artifact for commit 'Merge pull request #42'"},
		{hrEvent, "2026-03-02T09:41:14.250Z debug kustomize-controller HelmRelease/apps/podinfo Helm upgrade succeeded for release apps/podinfo.v3"},
		{startup, "2026-03-02T09:40:00.000Z info kustomize-controller - starting manager"},
		{panicky, "goroutine 1 [running]:"},
	}
	for _, tc := range cases {
		if got := ParseLine("kustomize-controller", "kc-1", tc.line).String(); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
	l := ParseLine("kustomize-controller", "kc-1", ksFailed)
	if l.ReconcileID != "0b6d9a4c-8e2f-4d1a-b7c3-6f5e4d3c2b1a" || l.Level != "error" || l.Raw || l.Pod != "kc-1" {
		t.Errorf("parsed = %+v", l)
	}
	if !ParseLine("x", "p", panicky).Raw || !ParseLine("x", "p", `{"broken`).Raw {
		t.Error("non-JSON lines must come back raw")
	}
}

func TestFilters(t *testing.T) {
	all := []string{ksApplied, ksFailed, gitStored, hrEvent, startup, panicky}
	at := func(s string) time.Time { ts, _ := time.Parse(time.RFC3339, s); return ts }
	cases := []struct {
		name string
		f    filter
		want []int
	}{
		{"none passes everything, raw lines too", filter{}, []int{0, 1, 2, 3, 4, 5}},
		{"kind", filter{kind: "Kustomization"}, []int{0, 1}},
		{"kind, any case", filter{kind: "helmrelease"}, []int{3}},
		{"name", filter{name: "apps"}, []int{1}},
		{"namespace", filter{namespace: "apps"}, []int{3}},
		{"level", filter{level: "error"}, []int{1}},
		{"kind and name", filter{kind: "GitRepository", name: "flux-system"}, []int{2}},
		{"since", filter{since: at("2026-03-02T09:41:12Z")}, []int{0, 1, 3}},
	}
	for _, tc := range cases {
		var got []int
		for i, s := range all {
			if tc.f.match(ParseLine("c", "p", s)) {
				got = append(got, i)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: matched %v, want %v", tc.name, got, tc.want)
		}
	}
}
