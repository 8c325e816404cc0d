package tree

import (
	"context"
	"fmt"
	"sync"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
)

const (
	// listChunk is kubectl's page size for lists.
	listChunk = 500
	// parallelLists bounds the lists in flight, well under the client's burst.
	parallelLists = 8
	// clusterWideAbove is the number of namespaces of one kind above which one cluster-wide list
	// is cheaper than a list per namespace (it falls back to those when forbidden).
	clusterWideAbove = 4
)

// live is the state of the cluster for the objects of one tree level, read with one list per kind
// and namespace (or per kind, cluster-wide).
type live struct {
	objects  map[objKey]*unstructured.Unstructured
	mappings map[schema.GroupKind]*meta.RESTMapping
	// failures says why a kind (namespace "") or a kind in a namespace could not be read.
	failures map[objKey]string
}

// state returns the object behind a ref, or why its state is unknown.
func (l *live) state(r ref) (obj *unstructured.Unstructured, unknown string) {
	if o, ok := l.objects[r.key()]; ok {
		return o, ""
	}
	if why, ok := l.failures[objKey{gk: r.GroupKind}]; ok {
		return nil, why
	}
	return nil, l.failures[objKey{gk: r.GroupKind, namespace: r.Namespace}]
}

type listJob struct {
	gk      schema.GroupKind
	mapping *meta.RESTMapping
	// namespace "" lists cluster-wide; fallback lists these namespaces one by one when the
	// cluster-wide list is forbidden.
	namespace string
	fallback  []string
}

// readLive lists every kind the refs name, concurrently, and indexes what exists. Namespaced refs
// without a namespace get their default one, once the mapping says the kind is namespaced.
func (o *Options) readLive(ctx context.Context, refs []*ref) *live {
	l := &live{objects: map[objKey]*unstructured.Unstructured{}, mappings: map[schema.GroupKind]*meta.RESTMapping{}, failures: map[objKey]string{}}
	namespaces := map[schema.GroupKind]map[string]bool{}
	var order []schema.GroupKind
	reset := false
	for _, r := range refs {
		m, seen := l.mappings[r.GroupKind]
		if !seen {
			if _, failed := l.failures[objKey{gk: r.GroupKind}]; failed {
				continue
			}
			var err error
			m, err = o.clients.Mapper.RESTMapping(r.GroupKind)
			if meta.IsNoMatchError(err) && !reset {
				// Discovery may predate a CRD the inventory names: refresh it once per level.
				o.clients.Mapper.Reset()
				reset = true
				m, err = o.clients.Mapper.RESTMapping(r.GroupKind)
			}
			if err != nil {
				why := fmt.Sprintf("the kind %s is not served by the cluster", kindString(r.GroupKind))
				if !meta.IsNoMatchError(err) {
					why = "cannot resolve the kind: " + cluster.Explain(err).Error()
				}
				l.failures[objKey{gk: r.GroupKind}] = why
				continue
			}
			l.mappings[r.GroupKind] = m
			namespaces[r.GroupKind] = map[string]bool{}
			order = append(order, r.GroupKind)
		}
		if m.Scope.Name() == meta.RESTScopeNameNamespace {
			if r.Namespace == "" {
				r.Namespace = r.DefaultNamespace
			}
			namespaces[r.GroupKind][r.Namespace] = true
		} else {
			r.Namespace = ""
		}
	}
	var jobs []listJob
	for _, gk := range order {
		m := l.mappings[gk]
		if m.Scope.Name() != meta.RESTScopeNameNamespace {
			jobs = append(jobs, listJob{gk: gk, mapping: m})
			continue
		}
		nss := make([]string, 0, len(namespaces[gk]))
		for ns := range namespaces[gk] {
			nss = append(nss, ns)
		}
		if len(nss) > clusterWideAbove {
			jobs = append(jobs, listJob{gk: gk, mapping: m, fallback: nss})
			continue
		}
		for _, ns := range nss {
			jobs = append(jobs, listJob{gk: gk, mapping: m, namespace: ns})
		}
	}
	retry := o.runLists(ctx, l, jobs)
	o.runLists(ctx, l, retry)
	return l
}

// runLists runs the jobs with bounded parallelism; it returns the per-namespace jobs that replace
// cluster-wide lists the user may not do.
func (o *Options) runLists(ctx context.Context, l *live, jobs []listJob) []listJob {
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		retry []listJob
		sem   = make(chan struct{}, parallelLists)
	)
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			objs, err := o.list(ctx, j)
			<-sem
			mu.Lock()
			defer mu.Unlock()
			if err != nil && apierrors.IsForbidden(err) && len(j.fallback) > 0 {
				for _, ns := range j.fallback {
					retry = append(retry, listJob{gk: j.gk, mapping: j.mapping, namespace: ns})
				}
				return
			}
			if err != nil {
				k := objKey{gk: j.gk, namespace: j.namespace}
				if j.namespace == "" {
					k = objKey{gk: j.gk}
				}
				l.failures[k] = "cannot read: " + cluster.Explain(err).Error()
				return
			}
			for _, obj := range objs {
				l.objects[objKey{gk: j.gk, namespace: obj.GetNamespace(), name: obj.GetName()}] = obj
			}
		}()
	}
	wg.Wait()
	return retry
}

// list reads one kind in one namespace (or cluster-wide), page by page. ConfigMaps and Secrets are
// read as metadata only: they have no status, and their payload may be large (or secret).
func (o *Options) list(ctx context.Context, j listJob) ([]*unstructured.Unstructured, error) {
	metadataOnly := j.gk.Group == "" && (j.gk.Kind == "ConfigMap" || j.gk.Kind == "Secret")
	opts := metav1.ListOptions{Limit: listChunk}
	var out []*unstructured.Unstructured
	for {
		var cont string
		if metadataOnly {
			list, err := o.metadata.Resource(j.mapping.Resource).Namespace(j.namespace).List(ctx, opts)
			if err != nil {
				return nil, err
			}
			for i := range list.Items {
				u := &unstructured.Unstructured{}
				u.SetGroupVersionKind(j.mapping.GroupVersionKind)
				u.SetNamespace(list.Items[i].Namespace)
				u.SetName(list.Items[i].Name)
				out = append(out, u)
			}
			cont = list.Continue
		} else {
			list, err := o.clients.Dynamic.Resource(j.mapping.Resource).Namespace(j.namespace).List(ctx, opts)
			if err != nil {
				return nil, err
			}
			for i := range list.Items {
				out = append(out, &list.Items[i])
			}
			cont = list.GetContinue()
		}
		if cont == "" {
			return out, nil
		}
		opts.Continue = cont
	}
}

func kindString(gk schema.GroupKind) string {
	if gk.Group == "" {
		return gk.Kind
	}
	return gk.Kind + "." + gk.Group
}
