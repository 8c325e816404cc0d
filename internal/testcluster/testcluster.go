// Package testcluster starts the real test ground that integration tests share: etcd and
// kube-apiserver on 127.0.0.1 (built by hack/testbin/setup.sh) with every Flux CRD installed, once
// per test package. There are no controllers: tests write status through the status subresource.
package testcluster

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/fixtures"
)

// Cluster is a running test API server.
type Cluster struct {
	env *envtest.Environment
	// Config is the admin (system:masters) client config.
	Config *rest.Config
	// Kubeconfig is the path of an admin kubeconfig file with the context "envtest".
	Kubeconfig string
	Dynamic    dynamic.Interface
	Kube       kubernetes.Interface
	// AssetsDir holds kube-apiserver, etcd and kubectl.
	AssetsDir string
	// AuditLog is the path of the API server's audit log (JSON lines), when started with one.
	AuditLog string
	dir      string
	seq      atomic.Int64
}

// Options change how a cluster is started.
type Options struct {
	// AuditLog records every request at Metadata level (who, verb, resource, URI; no bodies) in
	// Cluster.AuditLog, so that tests can prove what a session did or did not send.
	AuditLog bool
}

const auditPolicy = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: Metadata
`

// Separate starts a cluster of the test's own (for audit logs or for stopping the API server),
// stopped when the test ends. It skips the test like Get when the test ground is missing.
func Separate(t testing.TB, o Options) *Cluster {
	t.Helper()
	Get(t)
	c, err := StartWith(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
	return c
}

// TwoServers starts a second API server next to the package's, puts the Flux sample in a fresh
// namespace (prefix) of both, and writes a kubeconfig with the contexts "one" (the package's
// server) and "two" (the new one, which the test may stop) for a fleet test.
func TwoServers(t testing.TB, prefix string) (two *Cluster, kubeconfig string) {
	t.Helper()
	one := Get(t)
	two = Separate(t, Options{})
	for _, c := range []*Cluster{one, two} {
		if err := fixtures.CreateAll(context.Background(), c.Dynamic, fixtures.Sample(c.Namespace(t, prefix))); err != nil {
			t.Fatal(err)
		}
	}
	kubeconfig = filepath.Join(t.TempDir(), "kubeconfig")
	if err := fixtures.JoinKubeconfigs(kubeconfig, map[string]string{"one": one.Kubeconfig, "two": two.Kubeconfig}); err != nil {
		t.Fatal(err)
	}
	return two, kubeconfig
}

// shared is the package's cluster, set by Main before the tests run and read-only afterwards.
var (
	shared    *Cluster
	sharedErr error
)

// Main starts the cluster (when its binaries exist), runs the tests and stops it. A fuzzing run
// starts none: the fuzz targets are pure functions, and every fuzz worker process runs TestMain
// again, so each would start its own etcd and kube-apiserver (and leave them behind when the
// coordinator kills the worker), which made `make fuzz` take minutes per target.
func Main(m *testing.M) {
	flag.Parse()
	if fuzzing() {
		sharedErr = errors.New("no test cluster in a fuzzing run")
	} else {
		shared, sharedErr = Start()
	}
	code := m.Run()
	if shared != nil {
		shared.Stop()
	}
	os.Exit(code)
}

// fuzzing says whether this process is a fuzzing coordinator (-test.fuzz) or one of its workers.
func fuzzing() bool {
	f, w := flag.Lookup("test.fuzz"), flag.Lookup("test.fuzzworker")
	return (f != nil && f.Value.String() != "") || (w != nil && w.Value.String() == "true")
}

// Get returns the package's cluster, or skips the test with one line saying how to build it.
func Get(t testing.TB) *Cluster {
	t.Helper()
	if shared == nil {
		t.Skipf("integration test skipped: %v", sharedErr)
	}
	return shared
}

// Paths finds the test ground: KUBEBUILDER_ASSETS and KFM_CRDS_DIR when set, else the cache paths
// that hack/testbin/setup.sh builds, from hack/testbin/versions.env.
func Paths() (assets, crds string, err error) {
	assets, crds = os.Getenv("KUBEBUILDER_ASSETS"), os.Getenv("KFM_CRDS_DIR")
	if assets != "" && crds != "" {
		return assets, crds, nil
	}
	root, err := moduleRoot()
	if err != nil {
		return "", "", err
	}
	vars, err := readEnvFile(filepath.Join(root, "hack", "testbin", "versions.env"))
	if err != nil {
		return "", "", err
	}
	cache := os.Getenv("KFM_CACHE_DIR")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache", "kubectl-flux-mcp")
	}
	if assets == "" {
		assets = filepath.Join(cache, "testbin", "k8s-"+vars["K8S_VERSION"]+"-etcd-"+vars["ETCD_VERSION"])
	}
	if crds == "" {
		crds = filepath.Join(cache, "crds", vars["CRDS_KEY"])
	}
	return assets, crds, nil
}

// Start builds nothing: it starts etcd and kube-apiserver from the built binaries and installs the CRDs.
func Start() (*Cluster, error) { return StartWith(Options{}) }

// StartWith is Start with options.
func StartWith(o Options) (*Cluster, error) {
	assets, crds, err := Paths()
	if err != nil {
		return nil, err
	}
	for _, f := range []string{filepath.Join(assets, "kube-apiserver"), filepath.Join(assets, "etcd"), filepath.Join(crds, ".complete")} {
		if _, err := os.Stat(f); err != nil {
			return nil, fmt.Errorf("test ground not built (%s missing); run `make testbin`", f)
		}
	}
	dir, err := os.MkdirTemp("", "kfm-testcluster-")
	if err != nil {
		return nil, err
	}
	env := &envtest.Environment{
		BinaryAssetsDirectory: assets,
		CRDDirectoryPaths:     []string{crds},
		ErrorIfCRDPathMissing: true,
	}
	api := env.ControlPlane.GetAPIServer()
	// On loopback the endpoint reconciler of 1.37 refuses to publish 127.0.0.1 as the kubernetes
	// service endpoint and the server never becomes ready.
	api.Configure().Set("endpoint-reconciler-type", "none")
	var auditLog string
	if o.AuditLog {
		policy := filepath.Join(dir, "audit-policy.yaml")
		if err := os.WriteFile(policy, []byte(auditPolicy), 0o600); err != nil {
			return nil, err
		}
		auditLog = filepath.Join(dir, "audit.log")
		api.Configure().Set("audit-policy-file", policy).Set("audit-log-path", auditLog)
	}
	cfg, err := env.Start()
	if err != nil {
		return nil, fmt.Errorf("starting the test API server: %w", err)
	}
	c := &Cluster{env: env, Config: cfg, AssetsDir: assets, dir: dir, AuditLog: auditLog}
	if c.Dynamic, err = dynamic.NewForConfig(cfg); err != nil {
		return nil, err
	}
	if c.Kube, err = kubernetes.NewForConfig(cfg); err != nil {
		return nil, err
	}
	admin, err := env.ControlPlane.AddUser(envtest.User{Name: "kfm-admin", Groups: []string{"system:masters"}}, cfg)
	if err != nil {
		return nil, err
	}
	kc, err := admin.KubeConfig()
	if err != nil {
		return nil, err
	}
	c.Kubeconfig = filepath.Join(dir, "kubeconfig")
	if err := os.WriteFile(c.Kubeconfig, kc, 0o600); err != nil {
		return nil, err
	}
	return c, nil
}

// Stop stops the API server and etcd and removes the temporary files.
func (c *Cluster) Stop() {
	_ = c.env.Stop()
	_ = os.RemoveAll(c.dir)
}

// Dir is a temporary directory that lives as long as the cluster.
func (c *Cluster) Dir() string { return c.dir }

// Namespace creates a fresh namespace for one test.
func (c *Cluster) Namespace(t testing.TB, prefix string) string {
	t.Helper()
	name := fmt.Sprintf("%s-%d", prefix, c.seq.Add(1))
	_, err := c.Kube.CoreV1().Namespaces().Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("creating namespace %s: %v", name, err)
	}
	return name
}

// AddUser adds a user with the given groups and returns the path of a kubeconfig for it.
func (c *Cluster) AddUser(t testing.TB, name string, groups ...string) string {
	t.Helper()
	u, err := c.env.ControlPlane.AddUser(envtest.User{Name: name, Groups: groups}, c.Config)
	if err != nil {
		t.Fatal(err)
	}
	kc, err := u.KubeConfig()
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(c.dir, "kubeconfig-"+name)
	if err := os.WriteFile(p, kc, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Grant lets user do what rules allow in namespace: a Role and a RoleBinding, both named after the
// user, for tests of what a user with narrow rights sees.
func (c *Cluster) Grant(t testing.TB, user, namespace string, rules ...rbacv1.PolicyRule) {
	t.Helper()
	ctx := context.Background()
	role := &rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Name: user, Namespace: namespace}, Rules: rules}
	if _, err := c.Kube.RbacV1().Roles(namespace).Create(ctx, role, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	rb := &rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: user, Namespace: namespace},
		RoleRef:  rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "Role", Name: user},
		Subjects: []rbacv1.Subject{{Kind: "User", Name: user}}}
	if _, err := c.Kube.RbacV1().RoleBindings(namespace).Create(ctx, rb, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// Create creates a fixture object and writes its status, failing the test on error.
func (c *Cluster) Create(t testing.TB, o fixtures.Object) *unstructured.Unstructured {
	t.Helper()
	obj, err := fixtures.Create(context.Background(), c.Dynamic, o)
	if err != nil {
		t.Fatal(err)
	}
	return obj
}

// SetStatus writes status through the status subresource, as a controller does.
func (c *Cluster) SetStatus(t testing.TB, plural string, obj *unstructured.Unstructured, status map[string]any) *unstructured.Unstructured {
	t.Helper()
	updated, err := fixtures.WriteStatus(context.Background(), c.Dynamic, plural, obj, status)
	if err != nil {
		t.Fatal(err)
	}
	return updated
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("go.mod not found above the working directory")
		}
		dir = parent
	}
}

func readEnvFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	vars := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		v = strings.Trim(v, `"`)
		// Expand the $NAME references the file uses between its own variables.
		v = os.Expand(v, func(name string) string { return vars[name] })
		vars[k] = v
	}
	return vars, sc.Err()
}

// AuditEvent is the part of an audit.k8s.io/v1 Event that tests read.
type AuditEvent struct {
	Verb       string `json:"verb"`
	RequestURI string `json:"requestURI"`
	Stage      string `json:"stage"`
	User       struct {
		Username string `json:"username"`
	} `json:"user"`
	ImpersonatedUser *struct {
		Username string `json:"username"`
	} `json:"impersonatedUser"`
	ObjectRef *struct {
		Resource    string `json:"resource"`
		Namespace   string `json:"namespace"`
		Name        string `json:"name"`
		Subresource string `json:"subresource"`
	} `json:"objectRef"`
	ResponseStatus *struct {
		Code int `json:"code"`
	} `json:"responseStatus"`
}

// EffectiveUser is the user the request acted as: the impersonated one when there is one.
func (e AuditEvent) EffectiveUser() string {
	if e.ImpersonatedUser != nil {
		return e.ImpersonatedUser.Username
	}
	return e.User.Username
}

// AuditEvents reads the audit log written so far.
func (c *Cluster) AuditEvents(t testing.TB) []AuditEvent {
	t.Helper()
	if c.AuditLog == "" {
		t.Fatal("the cluster was started without an audit log")
	}
	b, err := os.ReadFile(c.AuditLog)
	if err != nil {
		t.Fatal(err)
	}
	var events []AuditEvent
	for _, line := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var e AuditEvent
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("audit log line %q: %v", line, err)
		}
		events = append(events, e)
	}
	return events
}
