// Package cluster holds the connection to Kubernetes: one client set per kubeconfig context, built
// from the kubectl flags (cli-runtime ConfigFlags) and cached for the life of the process, so that
// discovery and the REST mapping are read once per context and not once per call.
package cluster

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	appsv1 "k8s.io/client-go/kubernetes/typed/apps/v1"
	corev1 "k8s.io/client-go/kubernetes/typed/core/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
)

// Clients talk to one cluster (one kubeconfig context).
type Clients struct {
	// Context is the kubeconfig context these clients use ("" when the kubeconfig has none).
	Context string
	// Namespace is the namespace of the context, or the -n flag: the default for namespaced calls.
	Namespace string
	Config    *rest.Config
	Dynamic   dynamic.Interface
	Kube      Kube
	Discovery discovery.CachedDiscoveryInterface
	Mapper    meta.ResettableRESTMapper
}

// Kube is the part of the typed client set the operations use: core, apps and discovery. It is
// narrower than kubernetes.Interface on purpose: that set's typed clients and apply configurations
// for some fifty API groups made up ~6 MB of the binary, and a process keeps most of its binary
// resident; kubernetes.Interface (and the fake client set in tests) still satisfies it.
type Kube interface {
	CoreV1() corev1.CoreV1Interface
	AppsV1() appsv1.AppsV1Interface
	Discovery() discovery.DiscoveryInterfaces
}

// kubeClients is Kube over one REST config.
type kubeClients struct {
	core  *corev1.CoreV1Client
	apps  *appsv1.AppsV1Client
	disco *discovery.DiscoveryClient
}

func (k kubeClients) CoreV1() corev1.CoreV1Interface           { return k.core }
func (k kubeClients) AppsV1() appsv1.AppsV1Interface           { return k.apps }
func (k kubeClients) Discovery() discovery.DiscoveryInterfaces { return k.disco }

func newKube(cfg *rest.Config) (Kube, error) {
	// One HTTP client for the three, as kubernetes.NewForConfig shares one.
	hc, err := rest.HTTPClientFor(cfg)
	if err != nil {
		return nil, err
	}
	var k kubeClients
	if k.core, err = corev1.NewForConfigAndClient(cfg, hc); err != nil {
		return nil, err
	}
	if k.apps, err = appsv1.NewForConfigAndClient(cfg, hc); err != nil {
		return nil, err
	}
	if k.disco, err = discovery.NewDiscoveryClientForConfigAndClient(cfg, hc); err != nil {
		return nil, err
	}
	return k, nil
}

// Cache builds and keeps Clients per context. It is safe for concurrent use.
type Cache struct {
	flags *genericclioptions.ConfigFlags
	// impersonate, when set, is the user every request impersonates (serve --kube-as). serve
	// refuses it with --as; a kubeconfig that impersonates someone else is refused when a client
	// is built, so that neither silently wins.
	impersonate string

	mu        sync.Mutex
	byContext map[string]*Clients
}

// NewCache returns a Cache over the kubectl connection flags.
func NewCache(flags *genericclioptions.ConfigFlags) *Cache {
	return &Cache{flags: flags, byContext: map[string]*Clients{}}
}

// SetImpersonate makes every client the cache builds from now on act as user.
func (c *Cache) SetImpersonate(user string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.impersonate = user
	c.byContext = map[string]*Clients{}
}

// ForNamespace is For plus the namespace an operation works in, the first step of most Complete
// methods: cleared with allNamespaces, else the one given, else the context's.
func (c *Cache) ForNamespace(context string, namespace *string, allNamespaces bool) (*Clients, error) {
	cl, err := c.For(context)
	if err != nil {
		return nil, err
	}
	switch {
	case allNamespaces:
		*namespace = ""
	case *namespace == "":
		*namespace = cl.Namespace
	}
	return cl, nil
}

// Flags are the kubectl connection flags the cache reads.
func (c *Cache) Flags() *genericclioptions.ConfigFlags { return c.flags }

// For returns the clients of a kubeconfig context; "" means the context the flags select
// (--context, else the kubeconfig's current context).
func (c *Cache) For(context string) (*Clients, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cl, ok := c.byContext[context]; ok {
		return cl, nil
	}
	flags := c.flags
	if context != "" {
		flags = withContext(c.flags, context)
	}
	if named := derefString(flags.Context); named != "" {
		if err := checkContext(flags, named); err != nil {
			return nil, err
		}
	}
	cl, err := build(flags, c.impersonate)
	if err != nil {
		return nil, err
	}
	c.byContext[context] = cl
	return cl, nil
}

func checkContext(flags *genericclioptions.ConfigFlags, context string) error {
	raw, err := flags.ToRawKubeConfigLoader().RawConfig()
	if err != nil {
		return fmt.Errorf("cannot read kubeconfig: %w", err)
	}
	if _, ok := raw.Contexts[context]; !ok {
		names := make([]string, 0, len(raw.Contexts))
		for n := range raw.Contexts {
			names = append(names, n)
		}
		return fmt.Errorf("context %q not found in kubeconfig; known contexts: %v", context, sortedCopy(names))
	}
	return nil
}

func build(flags *genericclioptions.ConfigFlags, impersonate string) (*Clients, error) {
	loader := flags.ToRawKubeConfigLoader()
	ns, _, err := loader.Namespace()
	if err != nil {
		return nil, fmt.Errorf("cannot read kubeconfig: %w", err)
	}
	if err := CheckNamespace(ns); err != nil {
		return nil, err
	}
	cfg, err := flags.ToRESTConfig()
	if err != nil {
		return nil, fmt.Errorf("cannot load kubeconfig: %w", err)
	}
	cfg = rest.CopyConfig(cfg)
	if impersonate != "" {
		if u := cfg.Impersonate.UserName; u != "" && u != impersonate {
			return nil, fmt.Errorf("--kube-as %q and the kubeconfig's impersonation (as: %q) name different users: give one", impersonate, u)
		}
		cfg.Impersonate.UserName = impersonate
	}
	// Bulk operations list many kinds at once; client-go's default of 5 QPS would throttle them.
	cfg.QPS, cfg.Burst = 100, 200
	raw, _ := loader.RawConfig()
	ctxName := raw.CurrentContext
	if named := derefString(flags.Context); named != "" {
		ctxName = named
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	kube, err := newKube(cfg)
	if err != nil {
		return nil, err
	}
	var disco discovery.CachedDiscoveryInterface
	if impersonate == "" {
		// kubectl's own discovery: cached on disk under ~/.kube/cache, shared with kubectl.
		if disco, err = flags.ToDiscoveryClient(); err != nil {
			return nil, err
		}
	} else {
		// Discovery must run as the impersonated user too, so it is built from the adjusted config.
		dc, err := discovery.NewDiscoveryClientForConfig(cfg)
		if err != nil {
			return nil, err
		}
		disco = memory.NewMemCacheClient(dc)
	}
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(disco)
	return &Clients{Context: ctxName, Namespace: ns, Config: cfg, Dynamic: dyn, Kube: kube, Discovery: disco, Mapper: mapper}, nil
}

// ResolveKind maps a Flux kind to the resource the cluster serves, at the version it prefers.
// A kind whose CRD is not installed gives a NotInstalledError.
func (c *Clients) ResolveKind(k fluxkinds.Kind) (*meta.RESTMapping, error) {
	m, err := c.Mapper.RESTMapping(schema.GroupKind{Group: k.Group, Kind: k.Kind})
	if err != nil {
		if meta.IsNoMatchError(err) {
			// The mapper may hold a discovery snapshot from before the CRD was installed.
			c.Mapper.Reset()
			m, err = c.Mapper.RESTMapping(schema.GroupKind{Group: k.Group, Kind: k.Kind})
		}
		if meta.IsNoMatchError(err) {
			return nil, &NotInstalledError{Kind: k}
		}
		if err != nil {
			return nil, c.ExplainDiscovery(err)
		}
	}
	return m, nil
}

// ExplainDiscovery is Explain for an error of discovery (the REST mapping, the server version),
// which can lose the server's message: discovery asks for aggregated discovery documents, and a
// refusal in another encoding (a 403 for an impersonation the user may not do, say) reaches the
// caller as just "unknown". A plain JSON GET of /api meets the same refusal and keeps the server's
// own words, so that one request is made to report them.
func (c *Clients) ExplainDiscovery(err error) error {
	var status apierrors.APIStatus
	if !errors.As(err, &status) || c.Kube == nil {
		return Explain(err)
	}
	if msg := status.Status().Message; msg != "" && msg != "unknown" {
		return err
	}
	rc := c.Kube.Discovery().RESTClient()
	if rc == nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	again := rc.Get().AbsPath("/api").SetHeader("Accept", "application/json").Do(ctx).Error()
	var plain apierrors.APIStatus
	if errors.As(again, &plain) && plain.Status().Code == status.Status().Code && plain.Status().Message != "" {
		return again
	}
	return err
}

// NotInstalledError says that a Flux kind's CRD is not served by the cluster.
type NotInstalledError struct{ Kind fluxkinds.Kind }

func (e *NotInstalledError) Error() string {
	return fmt.Sprintf("the server does not serve %s: the CRD %s.%s is not installed", e.Kind.Kind, e.Kind.Plural, e.Kind.Group)
}

// withContext derives flags for another context of the same kubeconfig. Flags that name a server
// or credentials (--server, --token, --cluster, --user…) described the default context, so they
// are dropped: the named context brings its own. Impersonation, namespace and timeout still apply.
func withContext(base *genericclioptions.ConfigFlags, context string) *genericclioptions.ConfigFlags {
	f := genericclioptions.NewConfigFlags(true)
	f.CacheDir, f.KubeConfig, f.Namespace = base.CacheDir, base.KubeConfig, base.Namespace
	f.Impersonate, f.ImpersonateUID, f.ImpersonateGroup = base.Impersonate, base.ImpersonateUID, base.ImpersonateGroup
	f.Timeout, f.DisableCompression = base.Timeout, base.DisableCompression
	f.Context = &context
	return f
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

func derefString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Resource is the dynamic client of a mapping's objects: in namespace for a namespaced kind,
// cluster-wide for a cluster-scoped one (where a namespace would make every request fail).
func (c *Clients) Resource(m *meta.RESTMapping, namespace string) dynamic.ResourceInterface {
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		return c.Dynamic.Resource(m.Resource).Namespace(namespace)
	}
	return c.Dynamic.Resource(m.Resource)
}
