package logs

import (
	"context"
	"errors"
	"fmt"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
)

// UnreachableError says that the API server could not fetch a controller's log from the kubelet
// of the Pod's node. The server's own words stay in Reason, flattened to one line.
type UnreachableError struct {
	Pod, Node, Reason string
	err               error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("the logs of Flux controller pod %s are not reachable: the API server cannot fetch them from the kubelet of node %q (%s)",
		e.Pod, e.Node, e.Reason)
}

func (e *UnreachableError) Unwrap() error { return e.err }

// unreachable explains a failure to open a controller's log. Authorization failures and a dead API
// server keep their own clear messages; anything else happened between the API server and the
// kubelet, and says so. The server reports a node it does not know as `pods "NODE" not found`,
// which would send the reader looking for a Pod, so that case is reworded.
func unreachable(cp controllerPod, err error) error {
	if apierrors.IsForbidden(err) || apierrors.IsUnauthorized(err) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var status apierrors.APIStatus
	if !errors.As(err, &status) {
		if e := cluster.Explain(err); isUnreachable(e) {
			return e
		}
	}
	node := cp.pod.Spec.NodeName
	reason := strings.Join(strings.Fields(err.Error()), " ")
	if status != nil && apierrors.IsNotFound(err) {
		if d := status.Status().Details; d != nil && d.Name == node {
			reason = "the node is not registered with the API server"
		}
	}
	return &UnreachableError{Pod: cp.pod.Namespace + "/" + cp.pod.Name, Node: node, Reason: reason, err: err}
}

func isUnreachable(err error) bool {
	var u *cluster.UnreachableError
	return errors.As(err, &u)
}

// NotScheduledError says that no controller Pod runs on a node yet, so none has a log.
type NotScheduledError struct {
	Namespace string
	Pods      []string
}

func (e *NotScheduledError) Error() string {
	return fmt.Sprintf("the Flux controller pods in namespace %q are not scheduled to a node, so they have no logs yet: %s",
		e.Namespace, strings.Join(e.Pods, ", "))
}
