// Package progress lets a long operation say what it is doing while it runs, without knowing who
// listens: the cobra face prints flux CLI style lines on stderr, the MCP face sends
// notifications/progress, and everything else passes nil and hears nothing.
package progress

// Reporter receives the steps of a long operation. Implementations must be safe for concurrent
// use: bulk operations report from several goroutines at once.
type Reporter interface {
	// Step says an action starts, e.g. "annotating Kustomization apps/podinfo".
	Step(msg string)
	// Success says an action or a wait ended well.
	Success(msg string)
	// Failure says an action or a wait ended badly.
	Failure(msg string)
	// Waiting says the operation now waits for something outside it, e.g. a controller.
	Waiting(msg string)
}

// Nop is a Reporter that ignores everything.
type Nop struct{}

func (Nop) Step(string)    {}
func (Nop) Success(string) {}
func (Nop) Failure(string) {}
func (Nop) Waiting(string) {}

// Or returns r, or Nop when r is nil, so that Options can leave their Reporter unset.
func Or(r Reporter) Reporter {
	if r == nil {
		return Nop{}
	}
	return r
}
