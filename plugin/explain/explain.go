// Package explain documents the fields of Flux kinds like `kubectl explain`, from the schema the
// cluster itself serves (OpenAPI v3 published from the installed CRDs), so it always matches the
// Flux version installed. It is the operation behind `kubectl flux-mcp explain` and the MCP tool
// explain_flux_api.
package explain

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/runtime/schema"
	cachedopenapi "k8s.io/client-go/openapi/cached"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
)

// Options are the inputs of explain.
type Options struct {
	// Path is KIND[.FIELD[.FIELD…]], e.g. kustomization.spec.postBuild; KIND is any Flux kind name,
	// short name (ks) or Kind.group.
	Path string
	// APIVersion picks a served version other than the preferred one: v1beta2 or group/v1beta2.
	APIVersion string
	// Recursive prints the fields of fields.
	Recursive bool
	Context   string

	clients *cluster.Clients
	kind    fluxkinds.Kind
	fields  []string
	version string
}

// Result is the documentation text and what it documents.
type Result struct {
	Kind       string `json:"kind"`
	APIVersion string `json:"apiVersion"`
	// Field is the field path documented, empty for the kind itself.
	Field string `json:"field,omitempty"`
	Text  string `json:"text" jsonschema:"The documentation, as kubectl explain prints it"`
}

// Complete finds the clients.
func (o *Options) Complete(c *cluster.Cache) error {
	cl, err := c.For(o.Context)
	o.clients = cl
	return err
}

// Validate splits the path into a Flux kind and its fields, and reads the API version.
func (o *Options) Validate() error {
	path := strings.Trim(strings.TrimSpace(o.Path), ".")
	if path == "" {
		return errors.New("a kind is required, e.g. kustomization or kustomization.spec.postBuild")
	}
	parts := strings.Split(path, ".")
	// The kind may itself hold dots (Kustomization.kustomize.toolkit.fluxcd.io): the longest
	// prefix that names a Flux kind is the kind, the rest are fields.
	found := false
	for i := len(parts); i > 0 && !found; i-- {
		if k, err := fluxkinds.Lookup(strings.Join(parts[:i], ".")); err == nil {
			o.kind, o.fields, found = k, parts[i:], true
		}
	}
	if !found {
		_, err := fluxkinds.Lookup(parts[0])
		return err
	}
	for _, f := range o.fields {
		if f == "" {
			return fmt.Errorf("invalid field path %q: empty field name", o.Path)
		}
	}
	if o.APIVersion != "" {
		gv, err := schema.ParseGroupVersion(o.APIVersion)
		if err != nil || gv.Version == "" {
			return fmt.Errorf("invalid API version %q: use a version such as v1 or %s/v1", o.APIVersion, o.kind.Group)
		}
		if gv.Group != "" && gv.Group != o.kind.Group {
			return fmt.Errorf("%s belongs to the API group %s, not %s", o.kind.Kind, o.kind.Group, gv.Group)
		}
		o.version = gv.Version
	}
	return nil
}

// Run renders the documentation from the cluster's OpenAPI v3 schema.
func (o *Options) Run(_ context.Context) (*Result, error) {
	mapping, err := o.clients.ResolveKind(o.kind)
	if err != nil {
		return nil, err
	}
	gvr := mapping.Resource
	if o.version != "" && o.version != gvr.Version {
		served, err := o.servedVersions()
		if err != nil {
			return nil, err
		}
		if !contains(served, o.version) {
			return nil, fmt.Errorf("%s is not served at version %s; served versions: %s", o.kind.Kind, o.version, strings.Join(served, ", "))
		}
		gvr.Version = o.version
	}
	// Not the disk-cached client: it keeps the list of schemas for the life of the process, and a
	// long-running server would then never see a CRD installed or upgraded after its first call.
	client := cachedopenapi.NewClient(o.clients.Kube.Discovery().OpenAPIV3())
	paths, err := client.Paths()
	if err != nil {
		return nil, o.explainError(err)
	}
	if _, ok := paths["apis/"+gvr.GroupVersion().String()]; !ok {
		return nil, &NotPublishedError{GroupVersion: gvr.GroupVersion().String()}
	}
	var buf bytes.Buffer
	err = printModelDescription(o.fields, &buf, client, gvr, o.Recursive)
	if err != nil {
		return nil, o.explainError(err)
	}
	return &Result{Kind: o.kind.Kind, APIVersion: gvr.GroupVersion().String(), Field: strings.Join(o.fields, "."), Text: buf.String()}, nil
}

func (o *Options) servedVersions() ([]string, error) {
	mappings, err := o.clients.Mapper.RESTMappings(schema.GroupKind{Group: o.kind.Group, Kind: o.kind.Kind})
	if err != nil {
		return nil, cluster.Explain(err)
	}
	var out []string
	for _, m := range mappings {
		out = append(out, m.Resource.Version)
	}
	sort.Strings(out)
	return out, nil
}

// explainError names the kind and field a rendering error is about.
func (o *Options) explainError(err error) error {
	// The renderer words its own errors "error: field … does not exist".
	msg := strings.TrimPrefix(strings.Join(strings.Fields(cluster.Explain(err).Error()), " "), "error: ")
	if len(o.fields) > 0 {
		return fmt.Errorf("cannot explain %s.%s: %s", o.kind.Singular(), strings.Join(o.fields, "."), msg)
	}
	return fmt.Errorf("cannot explain %s: %s", o.kind.Singular(), msg)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// NotPublishedError says that the API server has no OpenAPI v3 schema for an API group version:
// the server publishes a CRD's schema a moment after the CRD is installed.
type NotPublishedError struct{ GroupVersion string }

func (e *NotPublishedError) Error() string {
	return fmt.Sprintf("the API server does not publish an OpenAPI v3 schema for %s yet (CRD schemas appear shortly after the CRD is installed); try again in a moment", e.GroupVersion)
}
