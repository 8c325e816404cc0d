package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
)

const scStart = "process start-up: version --client (no API call)"

// processStartup times each binary doing nothing with the cluster: the cost of exec, the Go
// runtime, package initialisation and flag parsing, which every CLI row above pays once.
func (b *bench) processStartup(ctx context.Context) *Scenario {
	sc := &Scenario{Name: scStart}
	sc.Rows = append(sc.Rows, b.timeProcess(ctx, procSpec{name: "kubectl-flux_mcp version --client", argv: []string{b.bin, "version", "--client"}}, true))
	if b.flux != "" {
		sc.Rows = append(sc.Rows, b.timeProcess(ctx, procSpec{name: "flux version --client", argv: []string{b.flux, "version", "--client"}}, false))
	}
	sc.Rows = append(sc.Rows,
		b.timeProcess(ctx, procSpec{name: "kubectl version --client", argv: []string{b.kubectl, "version", "--client"}}, false),
		// rawlist with no resource: loads the kubeconfig and builds its client, lists nothing.
		b.timeProcess(ctx, procSpec{name: "client-go program (rawlist, no list)", argv: append([]string{b.rawlist}, b.kc()...)}, false),
	)
	return sc
}

// InitTrace is where our binary spends its package initialisation (GODEBUG=inittrace=1).
type InitTrace struct {
	Packages   int       `json:"packages"`
	ClockMs    float64   `json:"clockMs"`
	HeapBytes  int64     `json:"heapBytes"`
	Top        []InitPkg `json:"top"`
	BinaryMiB  float64   `json:"binaryMiB"`
	Dependency int       `json:"modules"`
}

// InitPkg is one package's init.
type InitPkg struct {
	Package string  `json:"package"`
	ClockMs float64 `json:"clockMs"`
	Bytes   int64   `json:"bytes"`
}

// initTrace runs `version --client` with inittrace and keeps the run with the least total clock
// (the least disturbed by other work on the machine).
func (b *bench) initTrace(ctx context.Context) *InitTrace {
	var best *InitTrace
	for range 5 {
		cmd := exec.CommandContext(ctx, b.bin, "version", "--client")
		cmd.Env = append(b.procEnv(), "GODEBUG=inittrace=1")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if cmd.Run() != nil {
			return nil
		}
		t := parseInitTrace(stderr.String())
		if best == nil || t.ClockMs < best.ClockMs {
			best = t
		}
	}
	if st, err := os.Stat(b.bin); err == nil {
		best.BinaryMiB = float64(st.Size()) / 1024 / 1024
	}
	if out, err := exec.CommandContext(ctx, "go", "version", "-m", b.bin).Output(); err == nil {
		best.Dependency = strings.Count(string(out), "\tdep\t")
	}
	return best
}

// parseInitTrace reads lines like
// "init k8s.io/api/core/v1 @12 ms, 0.15 ms clock, 99976 bytes, 1020 allocs".
func parseInitTrace(s string) *InitTrace {
	t := &InitTrace{}
	var all []InitPkg
	for _, line := range strings.Split(s, "\n") {
		f := strings.Fields(line)
		if len(f) < 9 || f[0] != "init" {
			continue
		}
		clock, _ := strconv.ParseFloat(f[4], 64)
		bytes, _ := strconv.ParseInt(f[7], 10, 64)
		all = append(all, InitPkg{Package: f[1], ClockMs: clock, Bytes: bytes})
		t.ClockMs += clock
		t.HeapBytes += bytes
	}
	t.Packages = len(all)
	sort.Slice(all, func(i, j int) bool { return all[i].ClockMs > all[j].ClockMs })
	t.Top = all[:min(8, len(all))]
	return t
}

func printInitTrace(t *InitTrace) {
	if t == nil {
		return
	}
	fmt.Printf("\n== our binary's package initialisation (GODEBUG=inittrace=1, least disturbed of 5 runs) ==\n")
	fmt.Printf("binary %.1f MiB, %d modules, %d packages initialised: %.1f ms, %s allocated\n",
		t.BinaryMiB, t.Dependency, t.Packages, t.ClockMs, human(t.HeapBytes))
	for _, p := range t.Top {
		fmt.Printf("  %7.2f ms %10s  %s\n", p.ClockMs, human(p.Bytes), p.Package)
	}
}
