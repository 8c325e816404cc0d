package tools

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/operation"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/progress"
)

// notifyPause follows every progress notification: mcp-go v1.2.1 can drop or misorder a
// notification sent right before the handler returns its result, and a few milliseconds let the
// transport write it first.
const notifyPause = 5 * time.Millisecond

// progressReporter turns an operation's steps into notifications/progress for the client that
// asked for them with a progressToken.
type progressReporter struct {
	ctx   context.Context
	srv   *server.MCPServer
	token mcp.ProgressToken
	// mask, when set, masks every message: notifications do not pass the output filter.
	mask func(string) string

	mu sync.Mutex
	n  int
}

// newProgressReporter returns a Reporter for the call, or nil (no progress) when the client gave
// no progressToken.
func newProgressReporter(ctx context.Context, req mcp.CallToolRequest, mask func(string) string) progress.Reporter {
	if req.Params.Meta == nil || req.Params.Meta.ProgressToken == nil {
		return nil
	}
	srv := server.ServerFromContext(ctx)
	if srv == nil {
		return nil
	}
	return &progressReporter{ctx: ctx, srv: srv, token: req.Params.Meta.ProgressToken, mask: mask}
}

func (p *progressReporter) Step(msg string)    { p.notify(msg) }
func (p *progressReporter) Success(msg string) { p.notify(msg) }
func (p *progressReporter) Failure(msg string) { p.notify("failed: " + msg) }
func (p *progressReporter) Waiting(msg string) { p.notify(msg) }

// notify is the one place that sends progress: numbered in order, then paused (see notifyPause).
// Progress is best effort: a notification that cannot be sent is dropped.
func (p *progressReporter) notify(msg string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ctx.Err() != nil {
		return
	}
	p.n++
	if p.mask != nil {
		msg = p.mask(msg)
	}
	_ = p.srv.SendNotificationToClient(p.ctx, string(mcp.MethodNotificationProgress), map[string]any{
		"progressToken": p.token,
		"progress":      p.n,
		"message":       msg,
	})
	time.Sleep(notifyPause)
}

// progressHandler runs every tool: build gets the call's progress
// Reporter and may reject the arguments; a result whose failed() is non-nil goes out with
// isError set, its structured content and text still telling which objects failed and why.
func progressHandler[Args any, R any](d Deps, build func(Args, progress.Reporter) (operation.Operation[R], error),
	text func(R) string, failed func(R) error) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		var args Args
		if err := req.BindArguments(&args); err != nil {
			return ErrorResult(fmt.Errorf("invalid arguments: %w", err)), nil
		}
		op, err := build(args, newProgressReporter(ctx, req, d.Mask))
		if err != nil {
			return ErrorResult(err), nil
		}
		res, err := operation.Execute(ctx, d.Clients, op)
		if err != nil {
			return ErrorResult(err), nil
		}
		out := mcp.NewToolResultStructured(res, text(res))
		out.IsError = failed(res) != nil
		return out, nil
	}
}
