package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcontroller"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
)

// The reconcile scenarios: internal/testcontroller plays kustomize-controller and source-controller
// in a namespace of their own, answering each request reconcileDelay after it sees it (for
// --with-source the GitRepository's new artifact first, then the Kustomization at that revision).
// What is timed is the whole wait as a user sees it, and how long after the controller's status
// write the command noticed it: ours waits on a watch, flux polls.
const (
	scReconcile        = "reconcile ks app (its controller answers 300 ms after the request)"
	scReconcileNoticed = "reconcile ks app: from the controller's status write to the return (noticed after the write)"
	scReconcileSource  = "reconcile ks app --with-source (source, then Kustomization, 300 ms each)"
	scReconcileFailing = "reconcile ks broken (its controller answers Ready=False after 300 ms)"
	scMCPReconcile     = "MCP: reconcile_flux_resource ks app, warm call (controller answers in 300 ms)"
	reconcileNS        = "bench-reconcile"
	reconcileDelay     = 300 * time.Millisecond
	// fluxFailTimeout is flux's --timeout on the failing object, which it waits out in full; the
	// default of 5m would make the scenario take half an hour. Ours gets the same flag.
	fluxFailTimeout = 10 * time.Second
	brokenMessage   = "kustomize build failed: accumulating resources: 'apps/broken/missing.yaml' not found"
	rowRawReconcile = "client-go: PATCH the annotation + watch until the status write (in process)"
)

// reconcileScenarios run once, at the first size: they touch three objects of their own.
func (b *bench) reconcileScenarios(ctx context.Context, size int) []*Scenario {
	if size != b.sizes[0] {
		return nil
	}
	ctrl, err := b.startReconcileController(ctx)
	if err != nil {
		return []*Scenario{{Name: scReconcile, Rows: []*Row{{Name: "setup", Err: err.Error()}}}}
	}
	defer ctrl.Stop()

	kcNS := append(b.kc(), "-n", reconcileNS)
	plain := &Scenario{Name: scReconcile}
	noticed := &Scenario{Name: scReconcileNoticed}
	add := func(req, seen *Row) {
		plain.Rows = append(plain.Rows, req)
		noticed.Rows = append(noticed.Rows, seen)
	}
	add(b.timeReconcile(ctrl, "kubectl-flux_mcp reconcile ks app", true, "app", false,
		b.processOnce(ctx, append([]string{b.bin, "reconcile", "ks", "app"}, kcNS...), false)))
	if b.flux != "" {
		add(b.timeReconcile(ctrl, "flux reconcile ks app", false, "app", false,
			b.processOnce(ctx, append([]string{b.flux, "reconcile", "ks", "app"}, kcNS...), false)))
	}
	add(b.timeReconcile(ctrl, rowRawReconcile, false, "app", false, b.rawReconcileOnce(ctx, "app")))

	mcp := &Scenario{Name: scMCPReconcile}
	for _, s := range b.mcpServers() {
		if s.ours {
			req, seen := b.mcpReconcile(ctrl, s)
			mcp.Rows = append(mcp.Rows, req)
			if seen != nil {
				noticed.Rows = append(noticed.Rows, seen)
			}
		}
	}
	mcp.Rows = append(mcp.Rows, plain.Rows[len(plain.Rows)-1])

	source := &Scenario{Name: scReconcileSource}
	source.Rows = append(source.Rows, noted(b.timeReconcile(ctrl, "kubectl-flux_mcp reconcile ks app --with-source", true, "app", false,
		b.processOnce(ctx, append([]string{b.bin, "reconcile", "ks", "app", "--with-source"}, kcNS...), false))))
	if b.flux != "" {
		source.Rows = append(source.Rows, noted(b.timeReconcile(ctrl, "flux reconcile ks app --with-source", false, "app", false,
			b.processOnce(ctx, append([]string{b.flux, "reconcile", "ks", "app", "--with-source"}, kcNS...), false))))
	}

	failing := &Scenario{Name: scReconcileFailing}
	timeout := "--timeout=" + fluxFailTimeout.String()
	failing.Rows = append(failing.Rows, noted(b.timeReconcile(ctrl, "kubectl-flux_mcp reconcile ks broken "+timeout, true, "broken", true,
		b.processOnce(ctx, append([]string{b.bin, "reconcile", "ks", "broken", timeout}, kcNS...), true))))
	if b.flux != "" {
		failing.Rows = append(failing.Rows, noted(b.timeReconcile(ctrl, "flux reconcile ks broken "+timeout, false, "broken", true,
			b.processOnce(ctx, append([]string{b.flux, "reconcile", "ks", "broken", timeout}, kcNS...), true))))
	}
	return []*Scenario{plain, noticed, mcp, source, failing}
}

// startReconcileController creates the namespace, a GitRepository and two Kustomizations of it,
// ready as a healthy installation leaves them, and starts the test controller on them.
func (b *bench) startReconcileController(ctx context.Context) (*testcontroller.Controller, error) {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: reconcileNS}}
	if _, err := b.cluster.Kube.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil {
		return nil, err
	}
	objs := []fixtures.Object{
		testcontroller.GitRepository(reconcileNS, "flux-system"),
		testcontroller.Kustomization(reconcileNS, "app", "flux-system", false, nil),
		testcontroller.Kustomization(reconcileNS, "broken", "flux-system", false, nil),
	}
	if err := fixtures.CreateAll(ctx, b.cluster.Dynamic, objs); err != nil {
		return nil, err
	}
	ctrl, err := testcontroller.Run(ctx, b.cluster.Config, reconcileNS, "Kustomization", "GitRepository")
	if err != nil {
		return nil, err
	}
	ctrl.Set("GitRepository", "flux-system", testcontroller.Behaviour{Delay: reconcileDelay})
	ctrl.Set("Kustomization", "app", testcontroller.Behaviour{Delay: reconcileDelay})
	ctrl.Set("Kustomization", "broken", testcontroller.Behaviour{Delay: reconcileDelay, Fail: brokenMessage})
	return ctrl, nil
}

// reconcileOnce requests one reconciliation and returns when the requester says it is over: the
// CPU time it used, what it said (one line) and whether it failed.
type reconcileOnce func() (cpu time.Duration, said string, err error)

// timeReconcile times warmup+runs reconciliations of the Kustomization obj, and reads, after each,
// the time of the controller's status write that answered it. It returns the row of the whole
// wait and the row of the time from that write to the return. fails says the reconciliation is
// expected to end in failure (a non-zero exit).
func (b *bench) timeReconcile(ctrl *testcontroller.Controller, name string, ours bool, obj string, fails bool, once reconcileOnce) (*Row, *Row) {
	row, seen := &Row{Name: name, Ours: ours}, &Row{Name: name, Ours: ours}
	warmup := b.warmupFor(name)
	if fails {
		// The success rows already warmed the disk caches; a failing flux run costs its timeout.
		warmup = 0
	}
	for i := range warmup + b.runs {
		start := time.Now()
		cpu, said, err := once()
		end := time.Now()
		if err == nil && fails {
			row.Err = "succeeded, but the controller failed the reconciliation"
			break
		}
		if err != nil && !fails {
			row.Err = err.Error()
			break
		}
		ev, ok := ctrl.Last("Kustomization", obj)
		if !ok || ev.WrittenAt.Before(start) || ev.WrittenAt.After(end) {
			row.Err = "returned without the controller's status write in between (" + said + ")"
			break
		}
		if i < warmup {
			continue
		}
		row.add(end.Sub(start))
		row.addCPU(cpu)
		seen.add(end.Sub(ev.WrittenAt))
		if said != "" {
			row.Note = "says: " + said
		}
		if b.overBudget(row) {
			break
		}
	}
	seen.Err = row.Err
	return row.finish(), seen.finish()
}

// noted keeps the whole-wait row and puts the noticed time in its note, for the tables that do not
// have a noticed table of their own.
func noted(row, seen *Row) *Row {
	if seen != nil && seen.MedianMs > 0 {
		row.addNote(fmt.Sprintf("returned %s after the controller's last status write (median)", msStr(seen.MedianMs)))
	}
	return row
}

// processOnce runs argv as a whole process; with fails, a non-zero exit is the expected answer and
// what the command said about it is kept.
func (b *bench) processOnce(ctx context.Context, argv []string, fails bool) reconcileOnce {
	return func() (time.Duration, string, error) {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
		cmd.Env = b.procEnv()
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		if cmd.ProcessState == nil {
			return 0, "", err
		}
		cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		if err != nil {
			said := lastLine(out.String())
			if !fails {
				return cpu, said, fmt.Errorf("%s: %w: %s", strings.Join(argv, " "), err, said)
			}
			return cpu, said, err
		}
		return cpu, "", nil
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// rawReconcileOnce is the floor under any reconcile command: the annotation patch, then a watch
// from the patch's resourceVersion until the controller has handled the request for the current
// generation, in process with warm clients.
func (b *bench) rawReconcileOnce(ctx context.Context, name string) reconcileOnce {
	ri := b.listDyn.Resource(b.ksGVR).Namespace(reconcileNS)
	return func() (time.Duration, string, error) {
		cpu := selfCPU()
		value := time.Now().Format(time.RFC3339Nano)
		patch, _ := json.Marshal(map[string]any{"metadata": map[string]any{"annotations": map[string]any{"reconcile.fluxcd.io/requestedAt": value}}})
		obj, err := ri.Patch(ctx, name, types.MergePatchType, patch, metav1.PatchOptions{})
		if err != nil {
			return 0, "", err
		}
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		w, err := ri.Watch(ctx, metav1.ListOptions{FieldSelector: "metadata.name=" + name, ResourceVersion: obj.GetResourceVersion()})
		if err != nil {
			return 0, "", err
		}
		defer w.Stop()
		for ev := range w.ResultChan() {
			u, ok := ev.Object.(*unstructured.Unstructured)
			if !ok || ev.Type != watch.Modified {
				continue
			}
			handled, _, _ := unstructured.NestedString(u.Object, "status", "lastHandledReconcileAt")
			if c, ok := fluxkinds.FindCondition(u, "Ready"); ok && handled == value && c.ObservedGeneration == u.GetGeneration() {
				return selfCPU() - cpu, "", nil
			}
		}
		return 0, "", fmt.Errorf("watch ended before the controller answered: %w", ctx.Err())
	}
}

// mcpReconcile times warm reconcile_flux_resource calls of one server started once.
func (b *bench) mcpReconcile(ctrl *testcontroller.Controller, s mcpServer) (*Row, *Row) {
	name := s.name + ": reconcile_flux_resource kind=Kustomization name=app"
	p, err := spawnMCP(s.argv, append(b.procEnv(), s.env...))
	if err != nil {
		return &Row{Name: name, Err: err.Error()}, nil
	}
	if _, err := p.initialize(); err != nil {
		p.close()
		return &Row{Name: name, Err: err.Error()}, nil
	}
	var size int64
	row, seen := b.timeReconcile(ctrl, name, s.ours, "app", false, func() (time.Duration, string, error) {
		cpu := procCPU(p.cmd.Process.Pid)
		r, err := p.callTool("reconcile_flux_resource", map[string]any{"kind": "Kustomization", "name": "app", "namespace": reconcileNS})
		if err != nil {
			return 0, "", err
		}
		size = int64(len(r.raw))
		return procCPU(p.cmd.Process.Pid) - cpu, "", nil
	})
	row.OutputBytes = size
	row.MaxRSSKB, row.AnonRSSKB = p.close()
	return row, seen
}
