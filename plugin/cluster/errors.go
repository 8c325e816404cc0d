package cluster

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/util/validation"
)

// Explain turns an error from the Kubernetes client into one line a reader can act on. API status
// errors (forbidden, not found, invalid) keep the server's own message, which already names the
// user, verb and resource; transport errors say which server could not be reached and why.
func Explain(err error) error {
	if err == nil {
		return nil
	}
	var status apierrors.APIStatus
	if errors.As(err, &status) {
		return err
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		host := uerr.URL
		if u, perr := url.Parse(uerr.URL); perr == nil {
			host = u.Scheme + "://" + u.Host
		}
		reason := uerr.Err.Error()
		var opErr *net.OpError
		var dnsErr *net.DNSError
		switch {
		case errors.Is(err, syscall.ECONNREFUSED):
			reason = "connection refused"
		case errors.As(err, &dnsErr):
			reason = "no such host " + dnsErr.Name
		case uerr.Timeout():
			reason = "timed out"
		case errors.As(err, &opErr):
			reason = opErr.Err.Error()
		}
		return &UnreachableError{Server: host, Reason: reason, err: err}
	}
	return err
}

// UnreachableError says that the API server did not answer.
type UnreachableError struct {
	Server, Reason string
	err            error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("cannot reach the Kubernetes API server at %s: %s (check --kubeconfig, --context and --server)",
		e.Server, strings.TrimSpace(e.Reason))
}

func (e *UnreachableError) Unwrap() error { return e.err }

// CheckNamespace rejects a namespace that cannot exist: the API server would answer a list in it
// with an empty list rather than an error.
func CheckNamespace(ns string) error {
	if ns == "" {
		return nil
	}
	if errs := validation.IsDNS1123Label(ns); len(errs) > 0 {
		return fmt.Errorf("invalid namespace %q: %s", ns, strings.Join(errs, "; "))
	}
	return nil
}
