//go:build e2e

package e2e

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/internal/testcluster"
)

// suite is what every test shares: one API server, one Git server and one instance of each
// controller, started by TestMain and read-only while the tests run.
type suite struct {
	cluster *testcluster.Cluster
	git     *gitServer
	// logDir holds the controllers' logs and the source-controller's artifact storage, under the
	// cache in e2e-logs/; removed after a run that passes.
	logDir string
	procs  []*proc
}

// proc is a running controller; done is closed when it exits.
type proc struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

var (
	shared    *suite
	sharedErr error
)

func TestMain(m *testing.M) {
	began := time.Now()
	shared, sharedErr = start()
	switch {
	case sharedErr != nil && required():
		fmt.Fprintf(os.Stderr, "e2e set-up failed: %v\n", sharedErr)
		os.Exit(1)
	case sharedErr != nil:
		fmt.Fprintf(os.Stderr, "e2e tests skipped: %v (under `make e2e` or with CI set this fails the run)\n", sharedErr)
	default:
		// Printed before any test runs, so that a run killed by -timeout still says where the logs are.
		fmt.Fprintf(os.Stderr, "e2e set-up done in %s; controller logs in %s (kept when a test fails)\n",
			time.Since(began).Round(100*time.Millisecond), shared.logDir)
	}
	code := m.Run()
	if shared != nil {
		shared.stop()
		if code != 0 {
			fmt.Fprintf(os.Stderr, "controller logs kept in %s\n", shared.logDir)
		} else {
			_ = os.RemoveAll(shared.logDir)
		}
	}
	os.Exit(code)
}

// required says whether a set-up failure must fail the run instead of skipping every test: under
// `make e2e` (which sets KFM_E2E_REQUIRED=1) and in CI, where a skipped suite would pass unseen.
func required() bool {
	set := func(k string) bool {
		v := os.Getenv(k)
		return v != "" && v != "0" && !strings.EqualFold(v, "false")
	}
	return set("KFM_E2E_REQUIRED") || set("CI")
}

// env returns the suite, or skips the test with one line saying what to build. A failing test
// prints where the controllers' logs are.
func env(t *testing.T) *suite {
	t.Helper()
	if shared == nil {
		t.Skipf("e2e test skipped: %v", sharedErr)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("controller logs: %s", shared.logDir)
		}
	})
	return shared
}

func start() (*suite, error) {
	bins, err := controllersDir()
	if err != nil {
		return nil, err
	}
	for _, b := range []string{"source-controller", "kustomize-controller"} {
		if _, err := os.Stat(filepath.Join(bins, b)); err != nil {
			return nil, fmt.Errorf("Flux controllers not built (%s missing); run `make e2e` or hack/controllers/setup.sh", filepath.Join(bins, b))
		}
	}
	// Checked before the API server starts: the Git server runs `git http-backend`.
	if _, err := exec.LookPath("git"); err != nil {
		return nil, errors.New("git not found on PATH; the e2e Git server runs `git http-backend`")
	}
	s := &suite{}
	if s.logDir, err = newLogDir(); err != nil {
		return nil, err
	}
	if err := s.startAll(bins); err != nil {
		s.stop()
		if len(s.procs) == 0 {
			_ = os.RemoveAll(s.logDir)
			return nil, fmt.Errorf("%w (no controller logs: no controller was started)", err)
		}
		return nil, fmt.Errorf("%w; controller logs in %s", err, s.logDir)
	}
	return s, nil
}

// startAll starts the API server, the Git server and the controllers, in that order.
func (s *suite) startAll(bins string) error {
	var err error
	if s.cluster, err = testcluster.Start(); err != nil {
		return err
	}
	if s.git, err = startGitServer(); err != nil {
		return err
	}
	if err := os.Mkdir(filepath.Join(s.logDir, "storage"), 0o700); err != nil {
		return err
	}
	storage, err := freeAddr()
	if err != nil {
		return err
	}
	// Metrics and health endpoints are off ("0"), leader election is off: one instance each, on
	// loopback, outside the cluster. Artifacts are served and advertised on a free loopback port.
	common := []string{"--metrics-addr=0", "--health-addr=0", "--enable-leader-election=false", "--log-level=debug", "--concurrent=4"}
	if err := s.run(bins, "source-controller", append(common,
		"--storage-path="+filepath.Join(s.logDir, "storage"), "--storage-addr="+storage, "--storage-adv-addr="+storage)...); err != nil {
		return err
	}
	return s.run(bins, "kustomize-controller", common...)
}

// newLogDir makes this run's directory for the controllers' logs and artifact storage under the
// cache (e2e-logs/run-TIME-*), where a failed or killed run's logs are easy to find, and removes
// those of runs older than a week.
func newLogDir() (string, error) {
	parent := filepath.Join(cacheDir(), "e2e-logs")
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", err
	}
	if old, err := os.ReadDir(parent); err == nil {
		for _, e := range old {
			if info, err := e.Info(); err == nil && e.IsDir() && strings.HasPrefix(e.Name(), "run-") && time.Since(info.ModTime()) > 7*24*time.Hour {
				_ = os.RemoveAll(filepath.Join(parent, e.Name()))
			}
		}
	}
	return os.MkdirTemp(parent, "run-"+time.Now().UTC().Format("20060102-150405")+"-")
}

// cacheDir is KFM_CACHE_DIR (set by the Makefile), else ~/.cache/kubectl-flux-mcp.
func cacheDir() string {
	if c := os.Getenv("KFM_CACHE_DIR"); c != "" {
		return c
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".cache", "kubectl-flux-mcp")
}

// run starts one controller with the admin kubeconfig, its output in logDir/NAME.log.
func (s *suite) run(dir, name string, args ...string) error {
	logf, err := os.Create(filepath.Join(s.logDir, name+".log"))
	if err != nil {
		return err
	}
	cmd := exec.Command(filepath.Join(dir, name), args...)
	cmd.Env = append(os.Environ(), "KUBECONFIG="+s.cluster.Kubeconfig, "RUNTIME_NAMESPACE=flux-system")
	cmd.Stdout, cmd.Stderr = logf, logf
	// The controllers die with the test process even when it is killed.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		_ = logf.Close()
		return fmt.Errorf("starting %s: %w", name, err)
	}
	p := &proc{name: name, cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		_ = logf.Close()
		close(p.done)
	}()
	s.procs = append(s.procs, p)
	return nil
}

// exited says which controller has exited, and how; "" while all run.
func (s *suite) exited() string {
	for _, p := range s.procs {
		select {
		case <-p.done:
			return fmt.Sprintf("%s exited (%v); see %s", p.name, p.err, filepath.Join(s.logDir, p.name+".log"))
		default:
		}
	}
	return ""
}

func (s *suite) stop() {
	for _, p := range s.procs {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	}
	if s.git != nil {
		s.git.Close()
	}
	if s.cluster != nil {
		s.cluster.Stop()
	}
}

// freeAddr returns a loopback address with a port nothing listens on now.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// controllersDir is KFM_CONTROLLERS_DIR, else where hack/controllers/setup.sh builds the
// controllers, from hack/controllers/versions.env.
func controllersDir() (string, error) {
	if d := os.Getenv("KFM_CONTROLLERS_DIR"); d != "" {
		return d, nil
	}
	f, err := os.Open(filepath.Join("..", "hack", "controllers", "versions.env"))
	if err != nil {
		return "", err
	}
	defer f.Close()
	vars := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if k, v, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(line, "#") {
			vars[k] = strings.Trim(v, `"`)
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	if vars["SOURCE_CONTROLLER_VERSION"] == "" || vars["KUSTOMIZE_CONTROLLER_VERSION"] == "" {
		return "", errors.New("hack/controllers/versions.env lacks the controller versions")
	}
	return filepath.Join(cacheDir(), "controllers", "src-"+vars["SOURCE_CONTROLLER_VERSION"]+"-ks-"+vars["KUSTOMIZE_CONTROLLER_VERSION"]), nil
}
