// Package logs reads the logs of the Flux controllers and filters them by the object they talk
// about: the operation behind `kubectl flux-mcp logs` and the MCP tool get_flux_logs.
package logs

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
)

// Options are the inputs of a logs request.
type Options struct {
	// FluxNamespace is where the controllers run.
	FluxNamespace string
	// Kind, Name and Namespace select the lines about one object (or kind, or namespace).
	Kind, Name, Namespace string
	// Level keeps only lines of that level: info, error or debug.
	Level string
	// Since keeps only lines newer than this duration, e.g. 1h.
	Since string
	// Tail is the number of lines read from the end of each controller's log; 0 reads all.
	Tail int64
	// Limit keeps only the last Limit matching lines; 0 keeps all.
	Limit int
	// Follow streams new lines to OnLine until the context ends.
	Follow bool
	// OnLine, when set, receives each matching line as it is read instead of the Result.
	OnLine  func(Line)
	Context string
	// Source reads the Pods and their logs; nil means the cluster of Context.
	Source Source

	filter filter
	since  time.Duration
}

// Result holds the matching lines, oldest first.
type Result struct {
	Lines []Line `json:"lines"`
	// Pods are the controller Pods whose logs were read, as namespace/name.
	Pods []string `json:"pods"`
	// Unscheduled are controller Pods not on a node yet, which have no log to read.
	Unscheduled []string `json:"unscheduled,omitempty"`
	// Dropped counts matching lines left out by the limit (the oldest ones).
	Dropped int `json:"dropped,omitempty"`
}

// Complete picks the log source and defaults the Flux namespace.
func (o *Options) Complete(c *cluster.Cache) error {
	if o.FluxNamespace == "" {
		o.FluxNamespace = "flux-system"
	}
	if o.Source == nil {
		cl, err := c.For(o.Context)
		if err != nil {
			return err
		}
		o.Source = ClusterSource{Kube: cl.Kube}
	}
	return nil
}

// Validate parses the filters.
func (o *Options) Validate() error {
	f := filter{name: o.Name, namespace: o.Namespace}
	if o.Kind != "" {
		k, err := fluxkinds.Lookup(o.Kind)
		if err != nil {
			return err
		}
		f.kind = k.Kind
	}
	switch l := strings.ToLower(o.Level); l {
	case "", "info", "error", "debug":
		f.level = l
	default:
		return fmt.Errorf("invalid log level %q: use info, error or debug", o.Level)
	}
	if o.Since != "" {
		d, err := time.ParseDuration(o.Since)
		if err != nil || d <= 0 {
			return fmt.Errorf("invalid since %q: use a positive duration such as 30s, 15m or 1h", o.Since)
		}
		f.since, o.since = time.Now().Add(-d), d
	}
	if o.Tail < 0 || o.Limit < 0 {
		return errors.New("tail and limit must not be negative")
	}
	if o.Follow && o.OnLine == nil {
		return errors.New("follow needs a receiver for the lines")
	}
	o.filter = f
	return nil
}

// Run finds the controller Pods and reads their logs concurrently.
func (o *Options) Run(ctx context.Context) (*Result, error) {
	pods, err := o.Source.ListPods(ctx, o.FluxNamespace)
	if err != nil {
		return nil, cluster.Explain(err)
	}
	all := fluxPods(pods)
	if len(all) == 0 {
		return nil, &NoControllersError{Namespace: o.FluxNamespace}
	}
	// A Pod not yet on a node has no log; the API server answers with an empty one.
	res := &Result{Lines: []Line{}}
	var cps []controllerPod
	for _, cp := range all {
		if cp.pod.Spec.NodeName == "" {
			res.Unscheduled = append(res.Unscheduled, cp.pod.Name)
			continue
		}
		cps = append(cps, cp)
		res.Pods = append(res.Pods, cp.pod.Namespace+"/"+cp.pod.Name)
	}
	if len(cps) == 0 {
		return nil, &NotScheduledError{Namespace: o.FluxNamespace, Pods: res.Unscheduled}
	}
	perPod := make([][]Line, len(cps))
	errs := make([]error, len(cps))
	var wg sync.WaitGroup
	var emit sync.Mutex
	for i, cp := range cps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			perPod[i], errs[i] = o.read(ctx, cp, func(l Line) {
				emit.Lock()
				defer emit.Unlock()
				o.OnLine(l)
			})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		// Following ends when the context does; the streams then fail, and that is no error.
		if err != nil && (!o.Follow || ctx.Err() == nil) {
			return nil, unreachable(cps[i], err)
		}
	}
	for _, lines := range perPod {
		res.Lines = append(res.Lines, lines...)
	}
	// Lines of different controllers interleave by time; within one log, written order is kept.
	sort.SliceStable(res.Lines, func(i, j int) bool { return res.Lines[i].at.Before(res.Lines[j].at) })
	if o.Limit > 0 && len(res.Lines) > o.Limit {
		res.Dropped = len(res.Lines) - o.Limit
		res.Lines = res.Lines[res.Dropped:]
	}
	return res, nil
}

// read reads one controller's log, keeping the lines that pass the filters. With OnLine set the
// lines go there as they arrive; otherwise they are returned.
func (o *Options) read(ctx context.Context, cp controllerPod, emit func(Line)) ([]Line, error) {
	opts := &corev1.PodLogOptions{Container: cp.container, Follow: o.Follow}
	if o.Tail > 0 {
		opts.TailLines = &o.Tail
	}
	if o.since > 0 {
		s := int64(math.Ceil(o.since.Seconds()))
		opts.SinceSeconds = &s
	}
	stream, err := o.Source.Stream(ctx, cp.pod.Namespace, cp.pod.Name, opts)
	if err != nil {
		return nil, err
	}
	defer func() { _ = stream.Close() }()
	var out []Line
	var last time.Time
	sc := bufio.NewScanner(stream)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	for sc.Scan() {
		if sc.Text() == "" {
			continue
		}
		l := ParseLine(cp.controller, cp.pod.Name, sc.Text())
		// A line without a time (a stack trace) sorts with the line before it.
		if l.at.IsZero() {
			l.at = last
		}
		last = l.at
		if !o.filter.match(l) {
			continue
		}
		if o.OnLine != nil {
			emit(l)
			continue
		}
		out = append(out, l)
	}
	return out, sc.Err()
}

// Text renders the lines, one per log line, for people and models.
func (r *Result) Text() string {
	var b strings.Builder
	if r.Dropped > 0 {
		fmt.Fprintf(&b, "(%d older matching lines left out)\n", r.Dropped)
	}
	for _, l := range r.Lines {
		b.WriteString(l.String())
		b.WriteByte('\n')
	}
	if len(r.Lines) == 0 {
		fmt.Fprintf(&b, "no matching log lines in %s\n", strings.Join(r.Pods, ", "))
	}
	if len(r.Unscheduled) > 0 {
		fmt.Fprintf(&b, "not scheduled to a node (no logs): %s\n", strings.Join(r.Unscheduled, ", "))
	}
	return b.String()
}

// NoControllersError says that no Flux controller Pod runs in the namespace.
type NoControllersError struct{ Namespace string }

func (e *NoControllersError) Error() string {
	return fmt.Sprintf("no Flux controller pods found in namespace %q (looked for label %s=%s or app=%s); "+
		"set the Flux namespace if the controllers run elsewhere",
		e.Namespace, fluxkinds.PartOfLabel, fluxkinds.PartOfFlux, strings.Join(fluxkinds.Controllers(), "|"))
}
