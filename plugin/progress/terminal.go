package progress

import (
	"fmt"
	"io"
	"sync"
	"time"

	"golang.org/x/term"
)

// Symbols of the flux CLI's log lines.
const (
	symStep    = "►"
	symSuccess = "✔"
	symFailure = "✗"
	symWaiting = "◎"
)

var spinnerFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// Terminal prints progress as the flux CLI does. On a terminal a wait shows as a spinner that the
// next line replaces; elsewhere (pipes, CI logs) every report is one plain line, so that logs hold
// no control characters. Call Stop when the operation is over.
type Terminal struct {
	w   io.Writer
	tty bool

	mu sync.Mutex
	// pending counts waits not yet ended by a Success or Failure; the spinner runs while it is > 0.
	pending int
	waiting string
	frame   int
	drawn   bool
	stop    chan struct{}
	stopped chan struct{}
}

// NewTerminal reports on w, with a spinner when w is a terminal.
func NewTerminal(w io.Writer) *Terminal {
	tty := false
	if f, ok := w.(interface{ Fd() uintptr }); ok {
		tty = term.IsTerminal(int(f.Fd()))
	}
	return newTerminal(w, tty)
}

func newTerminal(w io.Writer, tty bool) *Terminal { return &Terminal{w: w, tty: tty} }

func (t *Terminal) Step(msg string) { t.line(symStep, msg, false) }

func (t *Terminal) Success(msg string) { t.line(symSuccess, msg, true) }

func (t *Terminal) Failure(msg string) { t.line(symFailure, msg, true) }

func (t *Terminal) Waiting(msg string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.tty {
		fmt.Fprintf(t.w, "%s %s\n", symWaiting, msg)
		return
	}
	t.pending++
	t.waiting = msg
	if t.pending > 1 {
		t.waiting = waitingFor(t.pending)
	}
	if t.stop == nil {
		t.stop, t.stopped = make(chan struct{}), make(chan struct{})
		go t.spin(t.stop, t.stopped)
	}
	t.draw()
}

// Stop ends the spinner and clears its line.
func (t *Terminal) Stop() {
	t.mu.Lock()
	t.pending = 0
	t.mu.Unlock()
	t.halt()
}

// line prints one report; ends says it ends a wait.
func (t *Terminal) line(sym, msg string, ends bool) {
	t.mu.Lock()
	t.clear()
	fmt.Fprintf(t.w, "%s %s\n", sym, msg)
	if ends && t.pending > 0 {
		t.pending--
	}
	idle := t.pending == 0
	if !idle {
		t.waiting = waitingFor(t.pending)
		t.draw()
	}
	t.mu.Unlock()
	if idle {
		t.halt()
	}
}

// halt stops the spinner, unless a wait began meanwhile.
func (t *Terminal) halt() {
	t.mu.Lock()
	if t.pending > 0 {
		t.mu.Unlock()
		return
	}
	stop, stopped := t.stop, t.stopped
	t.stop, t.stopped = nil, nil
	t.mu.Unlock()
	if stop == nil {
		return
	}
	close(stop)
	<-stopped
	t.mu.Lock()
	t.clear()
	t.mu.Unlock()
}

func (t *Terminal) spin(stop <-chan struct{}, stopped chan<- struct{}) {
	defer close(stopped)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
			t.mu.Lock()
			t.frame++
			if t.pending > 0 {
				t.draw()
			}
			t.mu.Unlock()
		}
	}
}

// draw rewrites the spinner line in place; the caller holds mu.
func (t *Terminal) draw() {
	fmt.Fprintf(t.w, "\r\033[K%s %s", spinnerFrames[t.frame%len(spinnerFrames)], t.waiting)
	t.drawn = true
}

// clear erases the spinner line; the caller holds mu.
func (t *Terminal) clear() {
	if t.drawn {
		fmt.Fprint(t.w, "\r\033[K")
		t.drawn = false
	}
}

// waitingFor is the spinner text when several waits overlap (bulk operations): the messages have
// no keys, so the spinner counts them rather than guess which one is left.
func waitingFor(n int) string {
	if n == 1 {
		return "waiting for 1 object"
	}
	return fmt.Sprintf("waiting for %d objects", n)
}
