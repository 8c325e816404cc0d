package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Row is one measured thing in a scenario's table: samples in milliseconds and what it produced.
type Row struct {
	Name string `json:"name"`
	// Ours marks our own rows; the first one is the reference the ratios are taken against.
	Ours      bool      `json:"ours,omitempty"`
	SamplesMs []float64 `json:"samplesMs"`
	MedianMs  float64   `json:"medianMs"`
	MinMs     float64   `json:"minMs"`
	MaxMs     float64   `json:"maxMs"`
	// CPU time of the measured client (process, server or this program), not of the API server.
	CPUSamplesMs []float64 `json:"cpuSamplesMs,omitempty"`
	CPUMedianMs  float64   `json:"cpuMedianMs,omitempty"`
	OutputBytes  int64     `json:"outputBytes,omitempty"`
	// Calls is the number of tool calls an MCP answer took, when the scenario counts them.
	Calls int `json:"calls,omitempty"`
	// TextBytes is the part of an MCP answer in its text content, what a client that shows only
	// the text (not structuredContent) hands the model; OutputBytes is the whole response line.
	TextBytes int64 `json:"textBytes,omitempty"`
	// MaxRSSKB is the peak resident set in KiB: VmHWM of a server, peakrss of a command.
	MaxRSSKB int64 `json:"maxRssKB,omitempty"`
	// AnonRSSKB is a server's anonymous resident memory (heap, stacks) when it was closed.
	AnonRSSKB int64  `json:"rssAnonAtEndKB,omitempty"`
	Note      string `json:"note,omitempty"`
	Err       string `json:"error,omitempty"`
}

func (r *Row) add(d time.Duration) { r.SamplesMs = append(r.SamplesMs, ms(d)) }

// addCPU records the CPU time (user+system) of one sample: unlike wall time, it hardly changes when
// other work shares the machine, so it still compares clients on a loaded machine.
func (r *Row) addCPU(d time.Duration) { r.CPUSamplesMs = append(r.CPUSamplesMs, ms(d)) }

func (r *Row) addNote(s string) {
	if r.Note != "" {
		s = s + "; " + r.Note
	}
	r.Note = s
}

// finish computes the summary from the samples.
func (r *Row) finish() *Row {
	if len(r.SamplesMs) == 0 {
		return r
	}
	s := slices.Clone(r.SamplesMs)
	slices.Sort(s)
	r.MinMs, r.MaxMs = s[0], s[len(s)-1]
	r.MedianMs = median(r.SamplesMs)
	r.CPUMedianMs = median(r.CPUSamplesMs)
	return r
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if n := len(s); n%2 == 1 {
		return s[n/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// selfCPU is the CPU time this program has used so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// procCPU is the CPU time a live process has used so far: the sum over its threads of
// /proc/PID/task/TID/schedstat, whose first field is nanoseconds on the CPU.
func procCPU(pid int) time.Duration {
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		return 0
	}
	var total int64
	for _, t := range tasks {
		raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/schedstat", pid, t.Name()))
		if err != nil {
			continue
		}
		if f := strings.Fields(string(raw)); len(f) > 0 {
			n, _ := strconv.ParseInt(f[0], 10, 64)
			total += n
		}
	}
	return time.Duration(total)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Scenario is one table: the same question answered by us and by each baseline.
type Scenario struct {
	Name string `json:"name"`
	// Size is the number of Kustomizations in the cluster; 0 when it does not matter.
	Size int    `json:"size"`
	Rows []*Row `json:"rows"`
	// Load is /proc/loadavg when the scenario ended: other work on the machine shows here.
	Load string `json:"loadAverage"`
}

// procSpec is a command line to time as a whole process, fork+exec to exit.
type procSpec struct {
	name string
	argv []string
}

// timeProcess runs argv warmup+runs times and keeps the last runs: the warm-up fills the discovery
// caches on disk (kubectl and our binary share ~/.kube/cache) as on any machine in daily use. One
// more run under peakrss reads the peak memory, so that the timed runs carry no extra process.
func (b *bench) timeProcess(ctx context.Context, p procSpec, ours bool) *Row {
	row := &Row{Name: p.name, Ours: ours}
	if !b.repeat(row, func() (time.Duration, time.Duration, int64, error) { return b.runOnce(ctx, p.argv) }) {
		return row.finish()
	}
	row.MaxRSSKB = b.peakRSS(ctx, p.argv)
	return row.finish()
}

// runOnce returns the wall time from fork to exit, the CPU time of the process and the bytes it
// wrote to stdout.
func (b *bench) runOnce(ctx context.Context, argv []string) (time.Duration, time.Duration, int64, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = b.procEnv()
	var out countWriter
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("%s: %w: %s", strings.Join(argv, " "), err, firstLine(stderr.String()))
	}
	return d, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), out.n, nil
}

// peakRSS runs argv under peakrss and returns the peak resident set in KiB, 0 when unknown.
// The rusage of a direct child would report the benchmark's own peak (see hack/bench/peakrss).
func (b *bench) peakRSS(ctx context.Context, argv []string) int64 {
	if b.peakrss == "" {
		return 0
	}
	r, w, err := os.Pipe()
	if err != nil {
		return 0
	}
	defer r.Close()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, b.peakrss, argv...)
	cmd.Env = b.procEnv()
	cmd.ExtraFiles = []*os.File{w}
	err = cmd.Run()
	_ = w.Close()
	if err != nil {
		return 0
	}
	raw, _ := io.ReadAll(r)
	n, _ := strconv.ParseInt(strings.TrimSpace(string(raw)), 10, 64)
	return n
}

// procEnv is the environment of every timed process: a HOME of its own so that no user cache or
// config of the machine changes the result, and no KUBECONFIG (each command gets --kubeconfig).
func (b *bench) procEnv() []string {
	env := []string{"HOME=" + b.home, "PATH=" + os.Getenv("PATH")}
	if v := os.Getenv("TMPDIR"); v != "" {
		env = append(env, "TMPDIR="+v)
	}
	return env
}

// procStatus reads a field of /proc/PID/status in KiB (VmHWM is the peak resident set, RssAnon
// the anonymous part of the current one: heap and stacks, without the binary's mapped pages).
func procStatus(pid int, field string) int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// timeFunc times f in process, after warm-up calls.
func (b *bench) timeFunc(name string, ours bool, f func() (int64, error)) *Row {
	row := &Row{Name: name, Ours: ours}
	b.repeat(row, func() (time.Duration, time.Duration, int64, error) {
		start, cpu := time.Now(), selfCPU()
		n, err := f()
		return time.Since(start), selfCPU() - cpu, n, err
	})
	return row.finish()
}

// repeat runs once for the row's warm-up and then for its timed runs, recording each timed run's
// wall time, CPU and output size until the runs or the row's time budget are used up. The first
// error ends it: the row carries the error and repeat says false.
func (b *bench) repeat(row *Row, once func() (wall, cpu time.Duration, out int64, err error)) bool {
	warmup := b.warmupFor(row.Name)
	for i := range warmup + b.runs {
		d, cpu, out, err := once()
		if err != nil {
			row.Err = err.Error()
			return false
		}
		if i >= warmup {
			row.add(d)
			row.addCPU(cpu)
			row.OutputBytes = out
			if b.overBudget(row) {
				break
			}
		}
	}
	return true
}

// warmupFor is the number of warm-up runs for a measurement: all of them the first time, none at
// the next sizes, whose disk caches, page cache and connections the first size already warmed.
func (b *bench) warmupFor(name string) int {
	if b.warmed[name] {
		return 0
	}
	b.warmed[name] = true
	return b.warmup
}

// rowBudget bounds the time one row may take: a row whose runs take seconds (the largest size, a
// loaded machine) stops once it has minRuns samples and has used its budget, so that the
// benchmark finishes in minutes; its note says how many runs the median is of.
const (
	rowBudget = 6 * time.Second
	minRuns   = 3
)

// overBudget says whether a row has enough samples given its time so far, and notes it if so.
func (b *bench) overBudget(row *Row) bool {
	var total float64
	for _, s := range row.SamplesMs {
		total += s
	}
	if len(row.SamplesMs) >= minRuns && len(row.SamplesMs) < b.runs && total > ms(rowBudget) {
		row.addNote(fmt.Sprintf("median of %d runs (time budget)", len(row.SamplesMs)))
		return true
	}
	return false
}
