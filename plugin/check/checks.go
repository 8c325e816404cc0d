package check

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilversion "k8s.io/apimachinery/pkg/util/version"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
)

// readFailure turns an error into a failed check when the server answered (forbidden, say), so
// that the other checks still run; a server that does not answer ends the run.
func readFailure(name string, err error) ([]Check, error) {
	var status apierrors.APIStatus
	if errors.As(err, &status) {
		return []Check{{Name: name, Status: Fail, Message: oneLine(err.Error())}}, nil
	}
	return nil, cluster.Explain(err)
}

func (o *Options) kubernetes() (string, []Check, error) {
	sv, err := o.clients.Kube.Discovery().ServerVersion()
	if err != nil {
		checks, err := readFailure("kubernetes", err)
		return "", checks, err
	}
	v, err := utilversion.ParseGeneric(sv.GitVersion)
	if err != nil {
		return sv.GitVersion, []Check{{Name: "kubernetes", Status: Warn, Message: fmt.Sprintf("cannot parse the server version %q", sv.GitVersion)}}, nil
	}
	if !v.AtLeast(utilversion.MustParseGeneric(MinKubernetes)) {
		return sv.GitVersion, []Check{{Name: "kubernetes", Status: Fail,
			Message: fmt.Sprintf("%s is older than %s, the oldest version Flux 2.9 supports", sv.GitVersion, MinKubernetes)}}, nil
	}
	return sv.GitVersion, []Check{{Name: "kubernetes", Status: OK, Message: fmt.Sprintf("%s >= %s", sv.GitVersion, MinKubernetes)}}, nil
}

var crdGVR = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}

// isCoreGroup says whether a group belongs to the four controllers every Flux install has; image
// automation and the Flux Operator are optional.
func isCoreGroup(g string) bool {
	switch g {
	case fluxkinds.SourceGroup, fluxkinds.KustomizeGroup, fluxkinds.HelmGroup, fluxkinds.NotificationGroup:
		return true
	}
	return false
}

func (o *Options) crds(ctx context.Context) ([]CRD, []Check, error) {
	list, err := o.clients.Dynamic.Resource(crdGVR).List(ctx, metav1.ListOptions{})
	if err != nil {
		checks, err := readFailure("crds", err)
		return []CRD{}, checks, err
	}
	fluxGroups := map[string]bool{}
	for _, k := range fluxkinds.All() {
		fluxGroups[k.Group] = true
	}
	crds := []CRD{}
	for i := range list.Items {
		obj := &list.Items[i]
		if g, _, _ := unstructured.NestedString(obj.Object, "spec", "group"); fluxGroups[g] {
			crds = append(crds, readCRD(obj))
		}
	}
	sort.Slice(crds, func(i, j int) bool { return crds[i].Name < crds[j].Name })
	if len(crds) == 0 {
		return crds, []Check{{Name: "crds", Status: Fail, Message: "no Flux CRDs are installed: install Flux first"}}, nil
	}
	installed := map[string]bool{}
	for _, c := range crds {
		installed[c.Name] = true
	}
	var missing []string
	for _, k := range fluxkinds.All() {
		if isCoreGroup(k.Group) && !installed[k.Plural+"."+k.Group] {
			missing = append(missing, k.Plural+"."+k.Group)
		}
	}
	summary := Check{Name: "crds", Status: OK, Message: fmt.Sprintf("%d Flux CRDs installed", len(crds))}
	if len(missing) > 0 {
		summary.Status, summary.Message = Warn, fmt.Sprintf("%d Flux CRDs installed; missing %s", len(crds), strings.Join(missing, ", "))
	}
	checks := []Check{summary}
	for _, c := range crds {
		ch := Check{Name: c.Name, Status: OK, Message: fmt.Sprintf("served %s; storage %s", strings.Join(c.Served, ", "), c.Storage)}
		if !c.Established {
			ch.Status, ch.Message = Fail, "not established: the API server does not serve it yet; "+ch.Message
		}
		checks = append(checks, ch)
	}
	return crds, checks, nil
}

func readCRD(obj *unstructured.Unstructured) CRD {
	c := CRD{Name: obj.GetName(), Served: []string{}}
	c.Kind, _, _ = unstructured.NestedString(obj.Object, "spec", "names", "kind")
	versions, _, _ := unstructured.NestedSlice(obj.Object, "spec", "versions")
	for _, v := range versions {
		m, _ := v.(map[string]any)
		name, _ := m["name"].(string)
		if served, _ := m["served"].(bool); served {
			c.Served = append(c.Served, name)
		}
		if storage, _ := m["storage"].(bool); storage {
			c.Storage = name
		}
	}
	if cond, ok := fluxkinds.FindCondition(obj, "Established"); ok {
		c.Established = cond.Status == "True"
	}
	return c
}

func (o *Options) controllers(ctx context.Context) ([]Controller, []Check, error) {
	list, err := o.clients.Kube.AppsV1().Deployments(o.FluxNamespace).List(ctx, metav1.ListOptions{})
	if err != nil {
		checks, err := readFailure("controllers", err)
		return []Controller{}, checks, err
	}
	ctrls := []Controller{}
	var checks []Check
	found := map[string]bool{}
	for i := range list.Items {
		d := &list.Items[i]
		if d.Labels[fluxkinds.PartOfLabel] != fluxkinds.PartOfFlux && !fluxkinds.IsController(d.Name) {
			continue
		}
		c := readController(d)
		ctrls = append(ctrls, c)
		found[c.Name] = true
		checks = append(checks, judgeController(c))
	}
	if len(ctrls) == 0 {
		return ctrls, []Check{{Name: "controllers", Status: Fail, Message: fmt.Sprintf(
			"no Flux controllers found in namespace %q (Deployments labelled %s=%s or named %s); install Flux or set the Flux namespace",
			o.FluxNamespace, fluxkinds.PartOfLabel, fluxkinds.PartOfFlux, strings.Join(fluxkinds.Controllers(), ", "))}}, nil
	}
	var names, missing []string
	for _, c := range ctrls {
		names = append(names, c.Name)
	}
	for _, name := range fluxkinds.Controllers()[:4] {
		if !found[name] {
			missing = append(missing, name)
		}
	}
	summary := Check{Name: "controllers", Status: OK, Message: "found " + strings.Join(names, ", ")}
	if len(missing) > 0 {
		summary.Status, summary.Message = Warn, summary.Message+"; missing "+strings.Join(missing, ", ")
	}
	return ctrls, append([]Check{summary}, checks...), nil
}

func readController(d *appsv1.Deployment) Controller {
	c := Controller{Name: d.Name, Replicas: 1, Available: d.Status.AvailableReplicas}
	if d.Spec.Replicas != nil {
		c.Replicas = *d.Spec.Replicas
	}
	containers := d.Spec.Template.Spec.Containers
	for _, ct := range containers {
		if ct.Name == "manager" {
			c.Image = ct.Image
		}
	}
	if c.Image == "" && len(containers) > 0 {
		c.Image = containers[0].Image
	}
	c.Version = imageTag(c.Image)
	return c
}

// imageTag returns the tag of an image reference (registry:port/repo:tag@digest), "" when untagged.
func imageTag(image string) string {
	ref, _, _ := strings.Cut(image, "@")
	slash := strings.LastIndex(ref, "/")
	if colon := strings.LastIndex(ref, ":"); colon > slash {
		return ref[colon+1:]
	}
	return ""
}

func judgeController(c Controller) Check {
	version := c.Version
	if version == "" {
		version = "untagged"
	}
	msg := fmt.Sprintf("%s (%s), %d/%d replicas available", version, c.Image, c.Available, c.Replicas)
	switch {
	case c.Replicas == 0:
		return Check{Name: c.Name, Status: Warn, Message: "scaled to zero replicas; " + msg}
	case c.Available < c.Replicas:
		return Check{Name: c.Name, Status: Fail, Message: "not ready: " + msg}
	}
	return Check{Name: c.Name, Status: OK, Message: msg}
}

// operator judges the Flux Operator's FluxInstance and FluxReport objects when their CRDs exist.
func (o *Options) operator(ctx context.Context) ([]Check, error) {
	var checks []Check
	for _, name := range []string{"FluxInstance", "FluxReport"} {
		k, err := fluxkinds.Lookup(name)
		if err != nil {
			return nil, err
		}
		mapping, err := o.clients.ResolveKind(k)
		var ni *cluster.NotInstalledError
		if errors.As(err, &ni) {
			continue
		}
		if err != nil {
			return nil, err
		}
		list, err := o.clients.Dynamic.Resource(mapping.Resource).List(ctx, metav1.ListOptions{})
		if err != nil {
			c, err := readFailure(k.Plural, err)
			if err != nil {
				return nil, err
			}
			checks = append(checks, c...)
			continue
		}
		for i := range list.Items {
			checks = append(checks, judgeOperatorObject(k, &list.Items[i]))
		}
	}
	return checks, nil
}

func judgeOperatorObject(k fluxkinds.Kind, obj *unstructured.Unstructured) Check {
	c := Check{Name: k.Singular() + " " + obj.GetNamespace() + "/" + obj.GetName()}
	var version string
	if k.Kind == "FluxReport" {
		v, _, _ := unstructured.NestedString(obj.Object, "spec", "distribution", "version")
		st, _, _ := unstructured.NestedString(obj.Object, "spec", "distribution", "status")
		version = strings.TrimSpace("distribution " + v + " " + st)
	} else if rev := k.RevisionOf(obj); rev != "" {
		version = "revision " + rev
	}
	cond, ok := fluxkinds.FindCondition(obj, "Ready")
	switch {
	case !ok || cond.Status == "Unknown":
		c.Status, c.Message = Warn, "not reconciled yet"
	case cond.Status == "True":
		c.Status, c.Message = OK, cond.Message
	default:
		c.Status, c.Message = Fail, cond.Reason+": "+cond.Message
	}
	if version != "" && version != "distribution" {
		c.Message = strings.TrimSuffix(version+"; "+c.Message, "; ")
	}
	c.Message = oneLine(c.Message)
	return c
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
