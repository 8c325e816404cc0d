// Command bench measures kubectl-flux_mcp against its baselines on the local test API server:
// `get ks -A` and `get all -A` against flux get, kubectl get -o json and a plain client-go dynamic
// list; the MCP server's start-up, size of tools/list, memory and warm call latency against
// kubernetes-mcp-server (and, when built, flux-operator-mcp). Each number is the median of several
// runs after a warm-up; each scenario prints one table with the ratio of our number to each
// baseline, and the raw samples go to a JSON file under the cache. `make bench` runs it; it is not
// part of `make test`. docs/performance.md explains the setup and the findings.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
)

// bench holds the settings and the live state of one benchmark run.
type bench struct {
	sizes          []int
	runs, warmup   int
	bin, flux      string
	kubectl        string
	rawlist, kms   string
	peakrss        string
	fluxOperator   string
	home           string
	kubeconfig     string
	cluster        *testcluster.Cluster
	listDyn        dynamic.Interface
	gvrs           []schema.GroupVersionResource
	ksGVR          schema.GroupVersionResource
	cache          *cluster.Cache
	report         Report
	startupMeasure bool
	outDir         string
	// size is the number of Kustomizations being measured.
	size int
	// only, when set, holds the scenario keys or groups to measure (--only).
	only map[string]bool
	// warmed records the measurements that had their warm-up.
	warmed map[string]bool
}

func main() {
	// A flag set of its own: controller-runtime registers --kubeconfig on the global one.
	fs := flag.NewFlagSet("bench", flag.ExitOnError)
	home, _ := os.UserHomeDir()
	cache := os.Getenv("KFM_CACHE_DIR")
	if cache == "" {
		cache = filepath.Join(home, ".cache", "kubectl-flux-mcp")
	}
	b := &bench{warmed: map[string]bool{}}
	sizes := fs.String("sizes", "100,1000,5000", "numbers of Kustomizations to measure at, ascending (the cluster only grows)")
	fs.IntVar(&b.runs, "runs", 7, "timed runs per measurement; the median is reported")
	fs.IntVar(&b.warmup, "warmup", 1, "untimed runs before the timed ones (fill discovery caches, connections)")
	fs.StringVar(&b.bin, "bin", "bin/kubectl-flux_mcp", "our binary, built with go build")
	fs.StringVar(&b.flux, "flux", filepath.Join(cache, "baselines", "flux-v2.9.5"), "flux CLI (hack/baselines/flux.sh); empty to skip")
	fs.StringVar(&b.rawlist, "rawlist", filepath.Join(cache, "bench", "rawlist"), "the plain client-go list program (hack/bench/rawlist)")
	fs.StringVar(&b.peakrss, "peakrss", filepath.Join(cache, "bench", "peakrss"), "the peak memory reader (hack/bench/peakrss)")
	fs.StringVar(&b.kms, "kubernetes-mcp-server", "", "kubernetes-mcp-server binary (hack/baselines/kubernetes-mcp-server.sh); empty to skip")
	fs.StringVar(&b.fluxOperator, "flux-operator-mcp", "", "flux-operator-mcp binary (hack/baselines/flux-operator-mcp.sh); empty to skip")
	only := fs.String("only", "", "measure only these scenario groups or keys, comma-separated; empty for all: "+knownOnly())
	out := fs.String("out", filepath.Join(cache, "bench"), "directory for the JSON results")
	_ = fs.Parse(os.Args[1:])
	var err error
	if b.sizes, err = parseSizes(*sizes); err != nil {
		fail(err)
	}
	if b.only, err = parseOnly(*only); err != nil {
		fail(err)
	}
	if b.runs < 1 || b.warmup < 0 {
		fail(fmt.Errorf("--runs must be at least 1 and --warmup at least 0"))
	}
	b.outDir = *out
	if err := b.run(context.Background(), *out); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}

func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || (len(out) > 0 && n <= out[len(out)-1]) {
			return nil, fmt.Errorf("--sizes %q: want ascending positive numbers, e.g. 100,1000,5000", s)
		}
		out = append(out, n)
	}
	return out, nil
}

func (b *bench) run(ctx context.Context, outDir string) error {
	started := time.Now()
	if err := b.checkBinaries(); err != nil {
		return err
	}
	if b.fluxOperator == "" {
		// Opt-in: it is built with another Go toolchain (go1.27.3) and takes minutes the first time.
		fmt.Println("flux-operator-mcp " + fluxOperatorVersion + " (the reference Flux MCP server) is not measured; to include it: make bench BENCH_FLUX_OPERATOR=1")
	}
	var err error
	if b.home, err = os.MkdirTemp("", "kfm-bench-home-"); err != nil {
		return err
	}
	defer os.RemoveAll(b.home)
	logf("starting the test API server")
	if b.cluster, err = testcluster.Start(); err != nil {
		return err
	}
	defer b.cluster.Stop()
	// An interrupted benchmark must not leave etcd and kube-apiserver running.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		logf("interrupted; stopping the test API server")
		b.cluster.Stop()
		os.Exit(130)
	}()
	b.kubeconfig = b.cluster.Kubeconfig
	b.kubectl = filepath.Join(b.cluster.AssetsDir, "kubectl")
	if err := b.connect(); err != nil {
		return err
	}
	b.report = newReport(b)
	b.report.PeakRSSFloorKB = b.peakRSS(ctx, []string{"/bin/true"})
	b.report.InitTrace = b.initTrace(ctx)
	printInitTrace(b.report.InitTrace)

	// Filling the cluster: a client with no rate limit, since client-go's default would make the
	// setup, not the measurement, take the time.
	cfg := rest.CopyConfig(b.cluster.Config)
	cfg.QPS, cfg.Burst = -1, 0
	fill, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return err
	}
	fillKube, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	data := &dataset{dyn: fill, kube: fillKube}
	logf("creating namespaces, sources and %d ConfigMaps", inventorySize)
	if err := data.base(ctx); err != nil {
		return err
	}

	for _, size := range b.sizes {
		b.size = size
		t := time.Now()
		if err := data.growTo(ctx, size); err != nil {
			return err
		}
		logf("%d Kustomizations and %d HelmReleases in the cluster (%.1fs); measuring", data.ks, data.hr, time.Since(t).Seconds())
		for _, measure := range b.scenarios(ctx, size) {
			for _, sc := range measure() {
				b.report.add(sc)
			}
		}
	}
	b.report.Targets = evaluateTargets(&b.report)
	b.report.DurationS = time.Since(started).Seconds()
	printTargets(os.Stdout, b.report.Targets)
	path, err := b.report.write(outDir)
	if err != nil {
		return err
	}
	fmt.Printf("\nraw numbers: %s (%.0fs in all)\n", path, b.report.DurationS)
	return nil
}

// scenarioKeys are the scenario keys --only selects from, by group, in the order they are measured.
var scenarioKeys = []struct{ group, key string }{
	{"startup", "startup"}, {"startup", "mcp-startup"},
	{"get", "get"}, {"get", "get-inproc"}, {"get", "get-all"}, {"get", "get-all-inproc"}, {"get", "decode"},
	{"mcp", "mcp-list"}, {"mcp", "mcp-inproc"}, {"mcp", "mcp-failing"}, {"mcp", "mcp-why"}, {"mcp", "mcp-deploys"},
	{"tree", "tree"}, {"trace", "trace"}, {"reconcile", "reconcile"},
}

func knownOnly() string {
	var names []string
	for _, k := range scenarioKeys {
		if !slices.Contains(names, k.group) {
			names = append(names, k.group)
		}
		if !slices.Contains(names, k.key) {
			names = append(names, k.key)
		}
	}
	return strings.Join(names, ", ")
}

// selected says whether --only asks for the scenario with this key, by its key or its group.
func (b *bench) selected(key string) bool {
	if len(b.only) == 0 || b.only[key] {
		return true
	}
	for _, k := range scenarioKeys {
		if k.key == key && b.only[k.group] {
			return true
		}
	}
	return false
}

// scenarios are measured at each size, in this order; each is printed as soon as it is done.
// Each has a short key for --only.
func (b *bench) scenarios(ctx context.Context, size int) []func() []*Scenario {
	one := func(f func() *Scenario) func() []*Scenario { return func() []*Scenario { return []*Scenario{f()} } }
	type keyed struct {
		key string
		f   func() []*Scenario
	}
	var all []keyed
	// Start-up does not depend on the number of objects: measured once, at the first size.
	if !b.startupMeasure {
		b.startupMeasure = true
		all = append(all, keyed{"startup", one(func() *Scenario { return b.processStartup(ctx) })}, keyed{"mcp-startup", b.mcpStartup})
	}
	all = append(all,
		keyed{"get", one(func() *Scenario { return b.getProcesses(ctx, size, "ks") })},
		keyed{"get-inproc", one(func() *Scenario { return b.getInProcess(ctx, size, "ks") })},
		keyed{"get-all", one(func() *Scenario { return b.getProcesses(ctx, size, "all") })},
		keyed{"get-all-inproc", one(func() *Scenario { return b.getInProcess(ctx, size, "all") })},
		keyed{"decode", one(func() *Scenario { return b.decodeCost(ctx, size) })},
		keyed{"mcp-list", one(func() *Scenario { return b.mcpListKustomizations(ctx, size) })},
		keyed{"mcp-inproc", one(func() *Scenario { return b.mcpInProcess(ctx, size) })},
		keyed{"mcp-failing", one(func() *Scenario { return b.mcpListFailing(size) })},
		keyed{"mcp-why", one(func() *Scenario { return b.mcpWhyNotReady(size) })},
		keyed{"mcp-deploys", one(func() *Scenario { return b.mcpWhatDeploys(size) })},
		// Hooks for the operations other branches are adding (see hooks.go).
		keyed{"tree", func() []*Scenario { return b.treeScenarios(ctx, size) }},
		keyed{"trace", func() []*Scenario { return b.traceScenarios(ctx, size) }},
		keyed{"reconcile", func() []*Scenario { return b.reconcileScenarios(ctx, size) }},
	)
	var out []func() []*Scenario
	for _, k := range all {
		if b.selected(k.key) {
			out = append(out, k.f)
		}
	}
	return out
}

func parseOnly(s string) (map[string]bool, error) {
	if s == "" {
		return nil, nil
	}
	only := map[string]bool{}
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if !slices.Contains(strings.Split(knownOnly(), ", "), f) {
			return nil, fmt.Errorf("--only %q: unknown scenario %q; known: %s", s, f, knownOnly())
		}
		only[f] = true
	}
	return only, nil
}

func (b *bench) checkBinaries() error {
	for _, p := range []*string{&b.bin, &b.rawlist, &b.peakrss} {
		abs, err := filepath.Abs(*p)
		if err != nil {
			return err
		}
		if _, err := os.Stat(abs); err != nil {
			return fmt.Errorf("%s not found: run `make bench`, which builds it", *p)
		}
		*p = abs
	}
	for _, p := range []*string{&b.flux, &b.kms, &b.fluxOperator} {
		if *p == "" {
			continue
		}
		if _, err := os.Stat(*p); err != nil {
			logf("baseline %s not found; its rows are skipped", *p)
			*p = ""
		}
	}
	return nil
}

// connect builds the in-process clients the way a plain program would: from the kubeconfig file.
// The Flux resources are resolved once here, outside any timing.
func (b *bench) connect() error {
	cfg, err := clientcmd.BuildConfigFromFlags("", b.kubeconfig)
	if err != nil {
		return err
	}
	// As the plugin does: a list of many kinds must not wait on client-go's default rate limit.
	cfg.QPS, cfg.Burst = 100, 200
	if b.listDyn, err = dynamic.NewForConfig(cfg); err != nil {
		return err
	}
	b.cache = b.newCache()
	b.gvrs, b.ksGVR, err = b.fluxResources()
	return err
}

// newCache is a client cache as the plugin builds it, on the benchmark's own discovery cache.
func (b *bench) newCache() *cluster.Cache { return cluster.NewCache(b.configFlags()) }

func (b *bench) configFlags() *genericclioptions.ConfigFlags {
	flags := genericclioptions.NewConfigFlags(true)
	kc, cacheDir := b.kubeconfig, filepath.Join(b.home, ".kube", "cache")
	flags.KubeConfig, flags.CacheDir = &kc, &cacheDir
	return flags
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[bench %s] %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

// Report is everything one run measured, as written to the JSON file.
type Report struct {
	Date      time.Time   `json:"date"`
	Command   string      `json:"command"`
	Machine   Machine     `json:"machine"`
	Runs      int         `json:"runs"`
	Warmup    int         `json:"warmup"`
	Binaries  []string    `json:"binaries"`
	Scenarios []*Scenario `json:"scenarios"`
	Targets   []Target    `json:"targets"`
	// PeakRSSFloorKB is what peakrss reports for /bin/true: the floor under every process's peak.
	PeakRSSFloorKB int64      `json:"peakRssFloorKB"`
	InitTrace      *InitTrace `json:"initTrace,omitempty"`
	DurationS      float64    `json:"durationSeconds"`
}

// Machine describes where the numbers come from.
type Machine struct {
	NProc     int    `json:"nproc"`
	CPU       string `json:"cpu"`
	GoVersion string `json:"goVersion"`
	Kernel    string `json:"kernel"`
	MemTotal  string `json:"memTotal"`
	Load      string `json:"loadAverageAtStart"`
}

func newReport(b *bench) Report {
	r := Report{Date: time.Now().UTC(), Command: strings.Join(os.Args, " "), Runs: b.runs, Warmup: b.warmup,
		Machine: Machine{NProc: runtime.NumCPU(), CPU: cpuModel(), GoVersion: goVersion(), Kernel: firstLine(readFile("/proc/version")),
			MemTotal: procField("/proc/meminfo", "MemTotal:"), Load: firstLine(readFile("/proc/loadavg"))}}
	for _, p := range []string{b.bin, b.flux, b.kubectl, b.rawlist, b.kms, b.fluxOperator} {
		if p != "" {
			r.Binaries = append(r.Binaries, p)
		}
	}
	return r
}

func (r *Report) add(sc *Scenario) {
	if sc == nil {
		return
	}
	sc.Load = firstLine(readFile("/proc/loadavg"))
	r.Scenarios = append(r.Scenarios, sc)
	printScenario(os.Stdout, sc)
}

func (r *Report) write(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	raw, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "bench-"+r.Date.Format("20060102-150405")+".json")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		return "", err
	}
	return path, os.WriteFile(filepath.Join(dir, "latest.json"), raw, 0o644)
}

func cpuModel() string { return procField("/proc/cpuinfo", "model name") }

func procField(path, prefix string) string {
	for _, line := range strings.Split(readFile(path), "\n") {
		if strings.HasPrefix(line, prefix) {
			_, v, _ := strings.Cut(line, ":")
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func readFile(path string) string {
	raw, _ := os.ReadFile(path)
	return string(raw)
}

// goVersion is the toolchain that built the binaries (make builds them all with the same go).
func goVersion() string {
	out, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		return runtime.Version()
	}
	return strings.TrimSpace(string(out))
}
