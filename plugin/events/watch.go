package events

import (
	"context"
	"errors"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/tools/cache"
	watchtools "k8s.io/client-go/tools/watch"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
)

// Watch follows the events that come after res was read, from the resource versions its lists
// returned, so that nothing falls between the listing and the watch. Each new or updated event
// that passes the filters goes to emit, one at a time. Watch returns nil when ctx ends, and an
// error when a watch cannot go on or emit fails.
func (o *Options) Watch(ctx context.Context, res *Result, emit func(Event) error) error {
	if len(res.queries) == 0 {
		return errors.New("nothing to watch: run the listing first")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type item struct {
		ev  watch.Event
		err error
	}
	merged := make(chan item)
	for i, q := range res.queries {
		rw, err := watchtools.NewRetryWatcherWithContext(ctx, res.versions[i], &cache.ListWatch{
			WatchFuncWithContext: func(ctx context.Context, opts metav1.ListOptions) (watch.Interface, error) {
				opts.FieldSelector = q.selector()
				return o.clients.Kube.CoreV1().Events(q.namespace).Watch(ctx, opts)
			},
		})
		if err != nil {
			return err
		}
		go func() {
			defer rw.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case ev, ok := <-rw.ResultChan():
					var it item
					if !ok {
						it.err = errors.New("the event watch ended")
					} else {
						it.ev = ev
					}
					select {
					case merged <- it:
					case <-ctx.Done():
						return
					}
					if !ok {
						return
					}
				}
			}
		}()
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case it := <-merged:
			if it.err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return it.err
			}
			switch it.ev.Type {
			case watch.Added, watch.Modified:
			case watch.Error:
				return fmt.Errorf("the event watch failed: %w", cluster.Explain(apierrors.FromObject(it.ev.Object)))
			default:
				continue
			}
			e, ok := it.ev.Object.(*corev1.Event)
			if !ok || !o.keep(e) {
				continue
			}
			if err := emit(newEvent(e)); err != nil {
				return err
			}
		}
	}
}
