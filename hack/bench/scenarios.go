package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/get"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
)

// Scenario names; the targets look rows up by them.
const (
	scGetKs          = "get ks -A (whole processes)"
	scGetKsInProc    = "get ks -A (in process, warm clients)"
	scGetAll         = "get all -A (whole processes)"
	scGetAllInProc   = "get all -A (in process, warm clients)"
	scMCPInit        = "MCP start-up: spawn -> initialize response"
	scMCPToolsList   = "MCP start-up: spawn -> tools/list response"
	scMCPList        = "MCP: list all Kustomizations, warm call"
	scMCPFailing     = "MCP: list failing Flux objects, warm call"
	rowOursProc      = "kubectl-flux_mcp get"
	rowRawProc       = "client-go dynamic list (process)"
	rowRawInProc     = "client-go dynamic list (in process)"
	rowFluxGet       = "flux get"
	rowOursServe     = "kubectl-flux_mcp serve"
	rowKMS           = "kubernetes-mcp-server"
	rowFluxOperator  = "flux-operator-mcp"
	kubernetesMCPVer = "0.0.67"
)

// fluxResources resolves every installed Flux kind to the resource the server serves, as the
// plugin does, so that the raw lists ask for exactly what `get all` asks for.
func (b *bench) fluxResources() ([]schema.GroupVersionResource, schema.GroupVersionResource, error) {
	cl, err := b.cache.For("")
	if err != nil {
		return nil, schema.GroupVersionResource{}, err
	}
	var gvrs []schema.GroupVersionResource
	var ks schema.GroupVersionResource
	for _, k := range fluxkinds.All() {
		m, err := cl.ResolveKind(k)
		var ni *cluster.NotInstalledError
		if errors.As(err, &ni) {
			continue
		}
		if err != nil {
			return nil, ks, err
		}
		gvrs = append(gvrs, m.Resource)
		if k.Kind == "Kustomization" {
			ks = m.Resource
		}
	}
	return gvrs, ks, nil
}

func (b *bench) kc() []string { return []string{"--kubeconfig", b.kubeconfig} }

// getProcesses times `get ks -A` or `get all -A` of our binary and of each baseline, fork to exit.
func (b *bench) getProcesses(ctx context.Context, size int, which string) *Scenario {
	gvrs, name, fluxKind := []schema.GroupVersionResource{b.ksGVR}, scGetKs, "kustomizations"
	if which == "all" {
		gvrs, name, fluxKind = b.gvrs, scGetAll, "all"
	}
	var kubectlRes, rawArgs []string
	for _, g := range gvrs {
		kubectlRes = append(kubectlRes, g.Resource+"."+g.Group)
		rawArgs = append(rawArgs, g.Group+"/"+g.Version+"/"+g.Resource)
	}
	sc := &Scenario{Name: name, Size: size}
	specs := []procSpec{{name: rowOursProc + " " + which + " -A", argv: append([]string{b.bin, "get", which, "-A"}, b.kc()...)}}
	if b.flux != "" {
		specs = append(specs, procSpec{name: rowFluxGet + " " + fluxKind + " -A", argv: append([]string{b.flux, "get", fluxKind, "-A"}, b.kc()...)})
	}
	specs = append(specs,
		procSpec{name: "kubectl get " + strings.Join(shortRes(gvrs), ",") + " -A -o json",
			argv: append([]string{b.kubectl, "get", strings.Join(kubectlRes, ","), "-A", "-o", "json"}, b.kc()...)},
		procSpec{name: rowRawProc, argv: append(append([]string{b.rawlist}, b.kc()...), rawArgs...)},
	)
	for i, p := range specs {
		sc.Rows = append(sc.Rows, b.timeProcess(ctx, p, i == 0))
	}
	return sc
}

func shortRes(gvrs []schema.GroupVersionResource) []string {
	if len(gvrs) > 1 {
		return []string{fmt.Sprintf("<%d Flux resources>", len(gvrs))}
	}
	return []string{gvrs[0].Resource}
}

// getInProcess times the get operation with warm clients against the plain dynamic list of the
// same resources: what our code adds to the list itself, without process start-up.
func (b *bench) getInProcess(ctx context.Context, size int, which string) *Scenario {
	gvrs, name, kind := []schema.GroupVersionResource{b.ksGVR}, scGetKsInProc, "ks"
	if which == "all" {
		gvrs, name, kind = b.gvrs, scGetAllInProc, get.AllKinds
	}
	sc := &Scenario{Name: name, Size: size}
	sc.Rows = append(sc.Rows, b.timeFunc("get operation (operation.Execute)", true, func() (int64, error) {
		res, err := operation.Execute(ctx, b.cache, &get.Options{Kind: kind, AllNamespaces: true})
		if err != nil {
			return 0, err
		}
		return int64(len(res.Items)), nil
	}))
	// What a fresh process pays beyond start-up: a new client cache, so the kubeconfig is read and
	// the REST mapping built again from the discovery documents cached on disk.
	sc.Rows = append(sc.Rows, b.timeFunc("get operation, new client cache (discovery from disk)", false, func() (int64, error) {
		res, err := operation.Execute(ctx, b.newCache(), &get.Options{Kind: kind, AllNamespaces: true})
		if err != nil {
			return 0, err
		}
		return int64(len(res.Items)), nil
	}))
	sc.Rows = append(sc.Rows, b.timeFunc(rowRawInProc, false, func() (int64, error) { return b.rawList(ctx, gvrs) }))
	for _, r := range sc.Rows {
		r.addNote(fmt.Sprintf("%d objects", r.OutputBytes))
		r.OutputBytes = 0
	}
	if sc.Rows[0].Err == "" {
		sc.Rows[0].addNote(b.countGetRequests(ctx, kind))
	}
	return sc
}

// rawList lists the resources across all namespaces, concurrently, and returns the object count.
func (b *bench) rawList(ctx context.Context, gvrs []schema.GroupVersionResource) (int64, error) {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		total int64
		first error
	)
	for _, g := range gvrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l, err := b.listDyn.Resource(g).List(ctx, metav1.ListOptions{})
			mu.Lock()
			defer mu.Unlock()
			if err != nil && first == nil {
				first = err
			}
			if err == nil {
				total += int64(len(l.Items))
			}
		}()
	}
	wg.Wait()
	return total, first
}

// rawListBytes is the size of the API server's JSON answer to the list, for comparison with the
// size of the MCP answers.
func (b *bench) rawListBytes(ctx context.Context, g schema.GroupVersionResource) int64 {
	raw, err := b.cluster.Kube.Discovery().RESTClient().Get().AbsPath("/apis", g.Group, g.Version, g.Resource).DoRaw(ctx)
	if err != nil {
		return 0
	}
	return int64(len(raw))
}

// mcpServer is how to start one MCP server over stdio.
type mcpServer struct {
	name string
	argv []string
	// env is added to the common environment.
	env  []string
	ours bool
}

func (b *bench) mcpServers() []mcpServer {
	s := []mcpServer{{name: rowOursServe, argv: append([]string{b.bin, "serve"}, b.kc()...), ours: true}}
	if b.kms != "" {
		s = append(s, mcpServer{name: rowKMS + " " + kubernetesMCPVer, argv: append([]string{b.kms}, b.kc()...)})
	}
	if b.fluxOperator != "" {
		// It refuses to start without KUBECONFIG in its environment, --kubeconfig or not.
		s = append(s, mcpServer{name: rowFluxOperator + " " + fluxOperatorVersion, argv: append([]string{b.fluxOperator, "serve"}, b.kc()...),
			env: []string{"KUBECONFIG=" + b.kubeconfig}})
	}
	return s
}

// mcpStartup times spawn -> initialize response and spawn -> tools/list response of each server,
// a fresh process per run as an assistant starts it. The tools/list row carries the size of the
// answer in bytes and the peak RSS of the idle server.
func (b *bench) mcpStartup() []*Scenario {
	initSc := &Scenario{Name: scMCPInit}
	listSc := &Scenario{Name: scMCPToolsList}
	for _, s := range b.mcpServers() {
		ir, lr := &Row{Name: s.name, Ours: s.ours}, &Row{Name: s.name, Ours: s.ours}
		for i := range b.warmup + b.runs {
			p, err := spawnMCP(s.argv, append(b.procEnv(), s.env...))
			if err != nil {
				ir.Err, lr.Err = err.Error(), err.Error()
				break
			}
			_, err = p.initialize()
			tInit := time.Since(p.start)
			var list *rpcResponse
			if err == nil {
				list, err = p.call("tools/list", map[string]any{}, 30*time.Second)
			}
			tList := time.Since(p.start)
			cpu := procCPU(p.cmd.Process.Pid)
			rss, anon := p.close()
			if err != nil {
				ir.Err, lr.Err = err.Error(), err.Error()
				break
			}
			if i >= b.warmup {
				ir.add(tInit)
				lr.add(tList)
				lr.addCPU(cpu)
				lr.OutputBytes, lr.MaxRSSKB, lr.AnonRSSKB = int64(len(list.raw)), max(lr.MaxRSSKB, rss), max(lr.AnonRSSKB, anon)
				ir.MaxRSSKB, ir.AnonRSSKB = lr.MaxRSSKB, lr.AnonRSSKB
			}
		}
		initSc.Rows = append(initSc.Rows, ir.finish())
		listSc.Rows = append(listSc.Rows, lr.finish())
	}
	return []*Scenario{initSc, listSc}
}

// toolCall is one tools/call.
type toolCall struct {
	tool string
	args map[string]any
}

// mcpCalls starts a server once, then times warm calls of one tool; the row carries the answer's
// size in bytes (the whole JSON-RPC response line) and the server's peak RSS over its life.
func (b *bench) mcpCalls(s mcpServer, tool string, args map[string]any) *Row {
	return b.mcpCallSeq(s, s.name+": "+tool+" "+argString(args), []toolCall{{tool, args}})
}

// mcpCallSeq times a sequence of calls as one answer, for servers that need several calls to
// answer one question; time and bytes are the sums over the sequence.
func (b *bench) mcpCallSeq(s mcpServer, name string, calls []toolCall) *Row {
	row := &Row{Name: name, Ours: s.ours}
	p, err := spawnMCP(s.argv, append(b.procEnv(), s.env...))
	if err != nil {
		row.Err = err.Error()
		return row
	}
	if _, err := p.initialize(); err != nil {
		p.close()
		row.Err = err.Error()
		return row
	}
	for i := range b.warmup + b.runs {
		var total time.Duration
		var size, text int64
		cpu := procCPU(p.cmd.Process.Pid)
		for _, c := range calls {
			start := time.Now()
			r, err := p.callTool(c.tool, c.args)
			total += time.Since(start)
			if err != nil {
				row.Err = err.Error()
				row.MaxRSSKB, row.AnonRSSKB = p.close()
				return row.finish()
			}
			size += int64(len(r.raw))
			text += textBytes(r)
			if i == b.warmup {
				key := c.tool + "-" + strings.ToLower(fmt.Sprint(c.args["kind"]))
				if n, ok := c.args["name"]; ok {
					key += "-" + fmt.Sprint(n)
				}
				b.saveAnswer(s.name, key, r.raw)
			}
		}
		if i >= b.warmup {
			row.add(total)
			row.addCPU(procCPU(p.cmd.Process.Pid) - cpu)
			row.OutputBytes, row.TextBytes = size, text
			if b.overBudget(row) {
				break
			}
		}
	}
	row.MaxRSSKB, row.AnonRSSKB = p.close()
	return row.finish()
}

// textBytes is the size of a tool result's text content.
func textBytes(r *rpcResponse) int64 {
	var tr toolResult
	if json.Unmarshal(r.Result, &tr) != nil {
		return 0
	}
	var n int64
	for _, c := range tr.Content {
		n += int64(len(c.Text))
	}
	return n
}

// saveAnswer keeps the last answer of each server and tool, per size, next to the JSON results,
// so that what makes an answer large can be read afterwards.
func (b *bench) saveAnswer(server, tool string, raw []byte) {
	dir := filepath.Join(b.outDir, "answers")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	name := fmt.Sprintf("%d-%s-%s.json", b.size, strings.Fields(server)[0], tool)
	_ = os.WriteFile(filepath.Join(dir, name), raw, 0o644)
}

func argString(args map[string]any) string {
	var parts []string
	for _, k := range sortedKeys(args) {
		parts = append(parts, fmt.Sprintf("%s=%v", k, args[k]))
	}
	return strings.Join(parts, " ")
}

// mcpListKustomizations: the generic listing of every Kustomization through each server, against
// the plain in-process list of the same objects.
func (b *bench) mcpListKustomizations(ctx context.Context, size int) *Scenario {
	sc := &Scenario{Name: scMCPList, Size: size}
	for _, s := range b.mcpServers() {
		switch {
		case s.ours:
			sc.Rows = append(sc.Rows, b.mcpCalls(s, "get_flux_resources", map[string]any{"kind": "Kustomization", "all_namespaces": true}))
		case strings.HasPrefix(s.name, rowKMS):
			sc.Rows = append(sc.Rows, b.mcpCalls(s, "resources_list", map[string]any{"apiVersion": b.ksGVR.GroupVersion().String(), "kind": "Kustomization"}))
		case strings.HasPrefix(s.name, rowFluxOperator) && size <= fluxOperatorMaxSize:
			sc.Rows = append(sc.Rows, b.mcpCalls(s, "get_kubernetes_resources", map[string]any{"apiVersion": b.ksGVR.GroupVersion().String(), "kind": "Kustomization"}))
		}
	}
	raw := b.timeFunc(rowRawInProc, false, func() (int64, error) { return b.rawList(ctx, []schema.GroupVersionResource{b.ksGVR}) })
	raw.addNote(fmt.Sprintf("%d objects; the API server's JSON is %s", raw.OutputBytes, human(b.rawListBytes(ctx, b.ksGVR))))
	raw.OutputBytes = 0
	sc.Rows = append(sc.Rows, raw)
	return sc
}

// mcpListFailing: "what is failing?", the question the server's instructions start with. Only
// servers with a tool for it take part.
func (b *bench) mcpListFailing(size int) *Scenario {
	sc := &Scenario{Name: scMCPFailing, Size: size}
	for _, s := range b.mcpServers() {
		switch {
		case s.ours:
			row := b.mcpCalls(s, "get_flux_resources", map[string]any{"kind": "all", "all_namespaces": true, "status_selector": "ready=false"})
			row.Calls = 1
			sc.Rows = append(sc.Rows, row)
		case strings.HasPrefix(s.name, rowFluxOperator):
			sc.Rows = append(sc.Rows, b.fluxOperatorFailing(s))
		}
	}
	sizeRatios(sc)
	return sc
}
