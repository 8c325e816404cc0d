package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
)

// The synthetic installation: Kustomizations spread over namespaces as tenants spread them, each
// with the status a kustomize-controller writes (Ready condition, revisions, a small inventory),
// most ready, some failing with a controller's message, some suspended; one HelmRelease for every
// five Kustomizations, with a release history and Helm's storage Secrets; one GitRepository and
// one HelmRepository per namespace. Kustomization 0 ("platform") carries an inventory of
// inventorySize existing ConfigMaps, the shape the tree scenario needs.
const (
	namespaces    = 20
	hrPerKs       = 5
	inventorySize = 2000
	revision      = "main@sha1:8b2f1c4e6a7d9f0b1c2d3e4f5a6b7c8d9e0f1a2b"
	// parallel bounds the writers that fill the cluster: enough to keep the API server busy on 2
	// cores without queueing in client-go.
	parallel = 16
)

func nsName(i int) string { return fmt.Sprintf("bench-%02d", i%namespaces) }

func ksName(i int) string { return fmt.Sprintf("app-%05d", i) }

// dataset grows the cluster's Flux objects to a number of Kustomizations; it only ever adds.
type dataset struct {
	dyn  dynamic.Interface
	kube kubernetes.Interface
	ks   int // Kustomizations created so far
	hr   int // HelmReleases created so far
}

// base creates the namespaces, their sources and the ConfigMaps of the platform inventory.
func (d *dataset) base(ctx context.Context) error {
	var objs []fixtures.Object
	for i := range namespaces {
		ns := nsName(i)
		if _, err := d.kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
			return err
		}
		objs = append(objs, gitRepository(ns), helmRepository(ns))
	}
	if err := createAll(ctx, d.dyn, objs); err != nil {
		return err
	}
	if err := d.diagnosedEvents(ctx); err != nil {
		return err
	}
	if err := d.chain(ctx); err != nil {
		return err
	}
	return runParallel(inventorySize, func(i int) error {
		// Labelled as kustomize-controller labels what it applies, so that trace finds the owner.
		cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("platform-%04d", i), Namespace: nsName(0),
			Labels: map[string]string{"kustomize.toolkit.fluxcd.io/name": "platform", "kustomize.toolkit.fluxcd.io/namespace": nsName(0)}},
			Data: map[string]string{"key": "value"}}
		_, err := d.kube.CoreV1().ConfigMaps(cm.Namespace).Create(ctx, cm, metav1.CreateOptions{})
		return err
	})
}

// growTo adds Kustomizations (and HelmReleases in proportion) until there are n Kustomizations.
func (d *dataset) growTo(ctx context.Context, n int) error {
	var objs []fixtures.Object
	for i := d.ks; i < n; i++ {
		objs = append(objs, kustomization(i))
	}
	for j := d.hr; j < n/hrPerKs; j++ {
		objs = append(objs, helmRelease(j))
	}
	if err := createAll(ctx, d.dyn, objs); err != nil {
		return err
	}
	// The release storage helm-controller leaves behind, so that tree and get of a HelmRelease read
	// real Secrets: the previous release and the current one.
	first := d.hr
	if err := runParallel(max(n/hrPerKs-first, 0), func(i int) error {
		secrets, err := helmReleaseSecrets(first + i)
		if err != nil {
			return err
		}
		for _, s := range secrets {
			if _, err := d.kube.CoreV1().Secrets(s.Namespace).Create(ctx, s, metav1.CreateOptions{}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	d.ks = max(d.ks, n)
	d.hr = max(d.hr, n/hrPerKs)
	return nil
}

func createAll(ctx context.Context, dyn dynamic.Interface, objs []fixtures.Object) error {
	return runParallel(len(objs), func(i int) error {
		_, err := fixtures.Create(ctx, dyn, objs[i])
		return err
	})
}

// runParallel runs f(0..n-1) on a bounded number of goroutines and returns the first error.
func runParallel(n int, f func(int) error) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		err  error
		next = make(chan int)
	)
	for range min(parallel, max(n, 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if e := f(i); e != nil {
					mu.Lock()
					if err == nil {
						err = e
					}
					mu.Unlock()
				}
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return err
}

func gitRepository(ns string) fixtures.Object {
	return fixtures.Object{Plural: "gitrepositories", Manifest: fmt.Sprintf(`
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: %s}
spec: {interval: 1m, url: "https://git.example.internal/platform/fleet", ref: {branch: main}}`, ns),
		Status: fixtures.Ready("True", "Succeeded", "stored artifact for revision '"+revision+"'", fixtures.Artifact(revision, "sha256:0c4f"))}
}

func helmRepository(ns string) fixtures.Object {
	return fixtures.Object{Plural: "helmrepositories", Manifest: fmt.Sprintf(`
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: charts, namespace: %s}
spec: {interval: 10m, url: "oci://charts.example.internal/stable", type: oci}`, ns),
		Status: fixtures.Ready("True", "Succeeded", "Helm repository is Ready", nil)}
}

// kustomization i: 90 in 100 ready, 7 failing, 3 suspended.
func kustomization(i int) fixtures.Object {
	ns, name := nsName(i), ksName(i)
	entries := []any{}
	for _, kind := range []string{"_ConfigMap", "_Service", "apps_Deployment", "networking.k8s.io_Ingress"} {
		entries = append(entries, map[string]any{"id": ns + "_" + name + "_" + kind, "v": "v1"})
	}
	if i == 0 {
		name, entries = "platform", []any{}
		for j := range inventorySize {
			entries = append(entries, map[string]any{"id": fmt.Sprintf("%s_platform-%04d__ConfigMap", ns, j), "v": "v1"})
		}
	}
	suspend := i%100 >= 97
	extra := map[string]any{"lastAppliedRevision": revision, "lastAttemptedRevision": revision,
		"inventory": map[string]any{"entries": entries}}
	status := fixtures.Ready("True", "ReconciliationSucceeded", "Applied revision: "+revision, extra)
	if f := i % 100; f >= 90 && f < 97 {
		extra = map[string]any{"lastAppliedRevision": "main@sha1:1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c", "lastAttemptedRevision": revision,
			"inventory": map[string]any{"entries": entries}}
		status = fixtures.Ready("False", "HealthCheckFailed",
			"health check failed after 5m0s: timeout waiting for: [Deployment/"+ns+"/"+name+" status: 'InProgress': Deployment has 1 unavailable replica]", extra)
	}
	return fixtures.Object{Plural: "kustomizations", Manifest: fmt.Sprintf(`
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: %s, namespace: %s, labels: {app.kubernetes.io/part-of: bench}}
spec: {interval: 10m, path: ./apps/%s, prune: true, wait: true, timeout: 5m, suspend: %t, sourceRef: {kind: GitRepository, name: flux-system}}`,
		name, ns, name, suspend), Status: status}
}

// helmRelease j: 95 in 100 ready, 5 failing.
func helmRelease(j int) fixtures.Object {
	ns, name := nsName(j), hrName(j)
	now := time.Now().UTC().Format(time.RFC3339)
	relStatus := "deployed"
	if hrFailing(j) {
		relStatus = "failed"
	}
	history := []any{map[string]any{
		"chartName": "podinfo", "chartVersion": "6.7.1", "appVersion": "6.7.1", "configDigest": "sha256:1f0e2d3c4b5a69788796a5b4c3d2e1f0",
		"digest": "sha256:9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d", "firstDeployed": now, "lastDeployed": now,
		"name": name, "namespace": ns, "status": relStatus, "version": 3,
	}}
	extra := map[string]any{"lastAttemptedRevision": "6.7.1", "helmChart": ns + "/" + ns + "-" + name, "history": history}
	status := fixtures.Ready("True", "UpgradeSucceeded", "Helm upgrade succeeded for release "+ns+"/"+name+".v3 with chart podinfo@6.7.1", extra)
	if hrFailing(j) {
		status = fixtures.Ready("False", "UpgradeFailed", "Helm upgrade failed for release "+ns+"/"+name+" with chart podinfo@6.7.2: context deadline exceeded", extra)
	}
	return fixtures.Object{Plural: "helmreleases", Manifest: fmt.Sprintf(`
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: %s, namespace: %s, labels: {app.kubernetes.io/part-of: bench}}
spec:
  interval: 10m
  chart: {spec: {chart: podinfo, version: "6.x", sourceRef: {kind: HelmRepository, name: charts}}}`, name, ns), Status: status}
}

// helmReleaseSecrets are the storage Secrets of HelmRelease j's release in Helm's Secret driver
// format: version 2 superseded and version 3 deployed, or, for a failing release, version 2 still
// deployed and version 3 failed, as Helm leaves them after a failed upgrade. The manifest is what
// the podinfo chart renders.
func helmReleaseSecrets(j int) ([]*corev1.Secret, error) {
	ns, name := nsName(j), hrName(j)
	manifest := fmt.Sprintf(`---
# Source: podinfo/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: %[1]s
  labels: {app.kubernetes.io/name: %[1]s, app.kubernetes.io/managed-by: Helm, helm.sh/chart: podinfo-6.7.1}
spec:
  type: ClusterIP
  ports: [{port: 9898, targetPort: http, protocol: TCP, name: http}, {port: 9999, targetPort: grpc, protocol: TCP, name: grpc}]
  selector: {app.kubernetes.io/name: %[1]s}
---
# Source: podinfo/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: %[1]s
  labels: {app.kubernetes.io/name: %[1]s, app.kubernetes.io/managed-by: Helm, helm.sh/chart: podinfo-6.7.1}
spec:
  replicas: 1
  strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}
  selector: {matchLabels: {app.kubernetes.io/name: %[1]s}}
  template:
    metadata:
      labels: {app.kubernetes.io/name: %[1]s}
      annotations: {prometheus.io/scrape: "true", prometheus.io/port: "9898"}
    spec:
      terminationGracePeriodSeconds: 30
      containers:
        - name: podinfo
          image: "ghcr.io/stefanprodan/podinfo:6.7.1"
          imagePullPolicy: IfNotPresent
          command: [./podinfo, --port=9898, --cert-path=/data/cert, --port-metrics=9797, --grpc-port=9999, --grpc-service-name=podinfo, --level=info, --random-delay=false, --random-error=false]
          env: [{name: PODINFO_UI_COLOR, value: "#34577c"}]
          ports: [{name: http, containerPort: 9898, protocol: TCP}, {name: http-metrics, containerPort: 9797, protocol: TCP}, {name: grpc, containerPort: 9999, protocol: TCP}]
          livenessProbe: {exec: {command: [podcli, check, http, localhost:9898/healthz]}, initialDelaySeconds: 1, timeoutSeconds: 5}
          readinessProbe: {exec: {command: [podcli, check, http, localhost:9898/readyz]}, initialDelaySeconds: 1, timeoutSeconds: 5}
          volumeMounts: [{name: data, mountPath: /data}]
          resources: {limits: {memory: 256Mi}, requests: {cpu: 1m, memory: 16Mi}}
      volumes: [{name: data, emptyDir: {}}]
---
# Source: podinfo/templates/hpa.yaml
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: %[1]s
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: %[1]s}
  minReplicas: 1
  maxReplicas: 4
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 99}}}]
`, name)
	prev, cur := "superseded", "deployed"
	if hrFailing(j) {
		prev, cur = "deployed", "failed"
	}
	var out []*corev1.Secret
	for v, st := range map[int]string{2: prev, 3: cur} {
		s, err := fixtures.HelmReleaseSecret(ns, name, v, st, manifest)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func hrName(j int) string { return fmt.Sprintf("rel-%05d", j) }

// hrFailing: 5 in 100 HelmReleases failed their last upgrade.
func hrFailing(j int) bool { return j%100 >= 95 }

// diagnosedEvents records what kustomize-controller reports about the Kustomization the answer
// scenarios diagnose (see answers.go): a repeated health-check failure and the apply before it.
// Events outlive their object's creation order, so they are made with the namespaces.
func (d *dataset) diagnosedEvents(ctx context.Context) error {
	ns, name := nsName(diagnosedIndex), ksName(diagnosedIndex)
	now := metav1.Now()
	for i, e := range []struct{ typ, reason, msg string }{
		{corev1.EventTypeNormal, "Progressing", "ConfigMap/" + ns + "/" + name + " configured\nService/" + ns + "/" + name + " configured\nDeployment/" + ns + "/" + name + " configured"},
		{corev1.EventTypeWarning, "HealthCheckFailed", "health check failed after 5m0s: timeout waiting for: [Deployment/" + ns + "/" + name + " status: 'InProgress': Deployment has 1 unavailable replica]"},
	} {
		ev := &corev1.Event{
			ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("%s.%d", name, i), Namespace: ns,
				Annotations: map[string]string{"kustomize.toolkit.fluxcd.io/revision": revision}},
			InvolvedObject: corev1.ObjectReference{APIVersion: "kustomize.toolkit.fluxcd.io/v1", Kind: "Kustomization", Name: name, Namespace: ns},
			Type:           e.typ, Reason: e.reason, Message: e.msg, Count: int32(3 + 9*i),
			FirstTimestamp: metav1.NewTime(now.Add(-50 * time.Minute)), LastTimestamp: now,
			Source: corev1.EventSource{Component: "kustomize-controller"},
		}
		if _, err := d.kube.CoreV1().Events(ns).Create(ctx, ev, metav1.CreateOptions{}); err != nil {
			return err
		}
	}
	return nil
}

// chainDepth Kustomizations in bench-00 apply one another, as a cluster's root Kustomization
// applies infrastructure, which applies a tenant, which applies its apps: chain-1 lists chain-2 in
// its inventory, and so on; chain-N applies the ConfigMap chainLeaf. Each applied object carries
// the labels kustomize-controller sets, naming the Kustomization that applied it: the shape of a
// deep trace.
const (
	chainDepth = 4
	chainLeaf  = "chain-leaf"
)

func chainName(level int) string { return fmt.Sprintf("chain-%d", level) }

func (d *dataset) chain(ctx context.Context) error {
	ns := nsName(0)
	ownerLabels := func(level int) string {
		if level == 1 {
			return ""
		}
		return fmt.Sprintf(", kustomize.toolkit.fluxcd.io/name: %s, kustomize.toolkit.fluxcd.io/namespace: %s", chainName(level-1), ns)
	}
	var objs []fixtures.Object
	for level := 1; level <= chainDepth; level++ {
		name := chainName(level)
		child := []any{map[string]any{"id": ns + "_" + chainName(level+1) + "_kustomize.toolkit.fluxcd.io_Kustomization", "v": "v1"}}
		if level == chainDepth {
			child = []any{map[string]any{"id": ns + "_" + chainLeaf + "__ConfigMap", "v": "v1"}}
		}
		extra := map[string]any{"lastAppliedRevision": revision, "lastAttemptedRevision": revision,
			"inventory": map[string]any{"entries": child}}
		objs = append(objs, fixtures.Object{Plural: "kustomizations", Manifest: fmt.Sprintf(`
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: %s, namespace: %s, labels: {app.kubernetes.io/part-of: bench-chain%s}}
spec: {interval: 10m, path: ./chain/%d, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}`,
			name, ns, ownerLabels(level), level), Status: fixtures.Ready("True", "ReconciliationSucceeded", "Applied revision: "+revision, extra)})
	}
	if err := createAll(ctx, d.dyn, objs); err != nil {
		return err
	}
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: chainLeaf, Namespace: ns,
		Labels: map[string]string{"kustomize.toolkit.fluxcd.io/name": chainName(chainDepth), "kustomize.toolkit.fluxcd.io/namespace": ns}},
		Data: map[string]string{"key": "value"}}
	_, err := d.kube.CoreV1().ConfigMaps(ns).Create(ctx, cm, metav1.CreateOptions{})
	return err
}
