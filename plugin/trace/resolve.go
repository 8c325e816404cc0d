package trace

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/restmapper"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
)

// UnknownKindError says that the cluster serves no resource by that name, in kubectl's words.
type UnknownKindError struct{ Name string }

func (e *UnknownKindError) Error() string {
	return fmt.Sprintf("the server doesn't have a resource type %q (see kubectl api-resources for the kinds it serves)", e.Name)
}

// ResolveKind maps a kind argument to the resource the cluster serves, as trace does; shell
// completion uses it to list the names of that kind.
func ResolveKind(cl *cluster.Clients, arg, apiVersion string) (*meta.RESTMapping, error) {
	return resolveKind(cl, arg, apiVersion)
}

// resolveKind maps a kind argument the way kubectl does: Kind, plural, singular or short name,
// optionally qualified as resource.group or resource.version.group, or a Kind with --api-version.
func resolveKind(cl *cluster.Clients, arg, apiVersion string) (*meta.RESTMapping, error) {
	mapper := restmapper.NewShortcutExpander(cl.Mapper, cl.Discovery, func(string) {})
	try := func() (schema.GroupVersionKind, error) {
		if apiVersion != "" {
			gv, err := schema.ParseGroupVersion(apiVersion)
			if err != nil {
				return schema.GroupVersionKind{}, fmt.Errorf("invalid API version %q: %w", apiVersion, err)
			}
			// A Kind as written (Deployment) maps directly; a resource name goes through the mapper.
			if m, err := mapper.RESTMapping(schema.GroupKind{Group: gv.Group, Kind: arg}, gv.Version); err == nil {
				return m.GroupVersionKind, nil
			}
			gvk, err := mapper.KindFor(gv.WithResource(strings.ToLower(arg)))
			// The mapper reads an empty group as "any group"; "v1" means the core group.
			if err == nil && (gvk.Group != gv.Group || gvk.Version != gv.Version) {
				return gvk, &meta.NoKindMatchError{GroupKind: schema.GroupKind{Group: gv.Group, Kind: arg}, SearchedVersions: []string{gv.Version}}
			}
			return gvk, err
		}
		full, gr := schema.ParseResourceArg(strings.ToLower(arg))
		if full != nil {
			if gvk, err := mapper.KindFor(*full); err == nil {
				return gvk, nil
			}
		}
		return mapper.KindFor(gr.WithVersion(""))
	}
	gvk, err := try()
	if meta.IsNoMatchError(err) {
		// Discovery may predate a CRD installed since: refresh it once.
		cl.Mapper.Reset()
		gvk, err = try()
	}
	if meta.IsNoMatchError(err) {
		if apiVersion != "" {
			return nil, &UnknownKindError{Name: arg + " in " + apiVersion}
		}
		return nil, &UnknownKindError{Name: arg}
	}
	if err != nil {
		return nil, cluster.Explain(err)
	}
	m, err := mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		return nil, cluster.Explain(err)
	}
	return m, nil
}
