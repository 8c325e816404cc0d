// Package fluxkinds is the one place that knows the Flux kinds: their API group, plural and short
// names, whether they can be reconciled or suspended, where their source reference and revision live.
// Versions are not fixed here: they are resolved against the cluster's discovery, so the plugin
// follows whatever API version the installed Flux serves.
package fluxkinds

import (
	"fmt"
	"sort"
	"strings"
)

// Groups of the Flux APIs.
const (
	SourceGroup       = "source.toolkit.fluxcd.io"
	KustomizeGroup    = "kustomize.toolkit.fluxcd.io"
	HelmGroup         = "helm.toolkit.fluxcd.io"
	NotificationGroup = "notification.toolkit.fluxcd.io"
	ImageGroup        = "image.toolkit.fluxcd.io"
	OperatorGroup     = "fluxcd.controlplane.io"
)

// SuspendMode says how an object is suspended.
type SuspendMode int

const (
	// NotSuspendable kinds have no suspend switch.
	NotSuspendable SuspendMode = iota
	// SuspendBySpec kinds (the toolkit controllers) use spec.suspend.
	SuspendBySpec
	// SuspendByAnnotation kinds (Flux Operator) use the fluxcd.controlplane.io/reconcile annotation.
	SuspendByAnnotation
)

// Kind describes one Flux kind.
type Kind struct {
	Kind       string
	Group      string
	Plural     string
	ShortNames []string
	// Reconcilable kinds honour the reconcile.fluxcd.io/requestedAt annotation.
	Reconcilable bool
	Suspend      SuspendMode
	// SourceRef is the path of the object's source reference, if it has one.
	SourceRef []string
	// Revision lists the status fields that hold the revision, first present wins.
	Revision [][]string
}

// Singular is the lower-case kind name.
func (k Kind) Singular() string { return strings.ToLower(k.Kind) }

// GroupKind renders as Kind.group, the form kubectl accepts.
func (k Kind) String() string { return k.Kind + "." + k.Group }

var (
	artifactRevision    = []string{"status", "artifact", "revision"}
	lastAppliedRevision = []string{"status", "lastAppliedRevision"}
)

// table is immutable: All returns a copy.
var table = []Kind{
	{Kind: "Kustomization", Group: KustomizeGroup, Plural: "kustomizations", ShortNames: []string{"ks"},
		Reconcilable: true, Suspend: SuspendBySpec, SourceRef: []string{"spec", "sourceRef"},
		Revision: [][]string{lastAppliedRevision, {"status", "lastAttemptedRevision"}}},
	{Kind: "HelmRelease", Group: HelmGroup, Plural: "helmreleases", ShortNames: []string{"hr"},
		Reconcilable: true, Suspend: SuspendBySpec, SourceRef: []string{"spec", "chart", "spec", "sourceRef"},
		Revision: [][]string{{"status", "lastAttemptedRevision"}, {"status", "lastAppliedRevision"}}},
	{Kind: "GitRepository", Group: SourceGroup, Plural: "gitrepositories", ShortNames: []string{"gitrepo", "gitrepos"},
		Reconcilable: true, Suspend: SuspendBySpec, Revision: [][]string{artifactRevision}},
	{Kind: "OCIRepository", Group: SourceGroup, Plural: "ocirepositories", ShortNames: []string{"ocirepo", "ocirepos"},
		Reconcilable: true, Suspend: SuspendBySpec, Revision: [][]string{artifactRevision}},
	{Kind: "HelmRepository", Group: SourceGroup, Plural: "helmrepositories", ShortNames: []string{"helmrepo", "helmrepos"},
		Reconcilable: true, Suspend: SuspendBySpec, Revision: [][]string{artifactRevision}},
	{Kind: "HelmChart", Group: SourceGroup, Plural: "helmcharts", ShortNames: []string{"helmchart", "hc"},
		Reconcilable: true, Suspend: SuspendBySpec, SourceRef: []string{"spec", "sourceRef"}, Revision: [][]string{artifactRevision}},
	{Kind: "Bucket", Group: SourceGroup, Plural: "buckets", ShortNames: []string{"bucket"},
		Reconcilable: true, Suspend: SuspendBySpec, Revision: [][]string{artifactRevision}},
	{Kind: "Alert", Group: NotificationGroup, Plural: "alerts", ShortNames: []string{"alert"},
		Suspend: SuspendBySpec},
	{Kind: "Provider", Group: NotificationGroup, Plural: "providers", ShortNames: []string{"provider", "alert-provider"},
		Suspend: SuspendBySpec},
	{Kind: "Receiver", Group: NotificationGroup, Plural: "receivers", ShortNames: []string{"receiver", "rcv"},
		Reconcilable: true, Suspend: SuspendBySpec},
	{Kind: "ImageRepository", Group: ImageGroup, Plural: "imagerepositories", ShortNames: []string{"imagerepo", "imagerepos"},
		Reconcilable: true, Suspend: SuspendBySpec, Revision: [][]string{{"status", "lastScanResult", "revision"}}},
	{Kind: "ImagePolicy", Group: ImageGroup, Plural: "imagepolicies", ShortNames: []string{"imagepolicy", "imagepol"},
		Reconcilable: true, Suspend: SuspendBySpec, SourceRef: []string{"spec", "imageRepositoryRef"},
		Revision: [][]string{{"status", "latestRef", "tag"}, {"status", "latestImage"}}},
	{Kind: "ImageUpdateAutomation", Group: ImageGroup, Plural: "imageupdateautomations", ShortNames: []string{"imageupdate", "iua"},
		Reconcilable: true, Suspend: SuspendBySpec, SourceRef: []string{"spec", "sourceRef"},
		Revision: [][]string{{"status", "lastPushCommit"}}},
	{Kind: "FluxInstance", Group: OperatorGroup, Plural: "fluxinstances", ShortNames: []string{"fluxinstance", "fi"},
		Reconcilable: true, Suspend: SuspendByAnnotation, Revision: [][]string{lastAppliedRevision}},
	{Kind: "FluxReport", Group: OperatorGroup, Plural: "fluxreports", ShortNames: []string{"fluxreport", "frep"}},
	{Kind: "ResourceSet", Group: OperatorGroup, Plural: "resourcesets", ShortNames: []string{"resourceset", "rset"},
		Reconcilable: true, Suspend: SuspendByAnnotation, Revision: [][]string{lastAppliedRevision}},
	{Kind: "ResourceSetInputProvider", Group: OperatorGroup, Plural: "resourcesetinputproviders", ShortNames: []string{"rsip"},
		Reconcilable: true, Suspend: SuspendByAnnotation, Revision: [][]string{{"status", "lastExportedRevision"}}},
}

// All returns every Flux kind, in the order `get all` shows them.
func All() []Kind { return append([]Kind(nil), table...) }

// Lookup finds a kind by any of its names: Kind, singular, plural, short name, or Kind.group,
// case-insensitively.
func Lookup(name string) (Kind, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	for _, k := range table {
		if n == k.Singular() || n == k.Plural || n == strings.ToLower(k.String()) || n == k.Plural+"."+k.Group {
			return k, nil
		}
		for _, s := range k.ShortNames {
			if n == s {
				return k, nil
			}
		}
	}
	return Kind{}, &UnknownKindError{Name: name}
}

// UnknownKindError is returned for a name that is no Flux kind.
type UnknownKindError struct{ Name string }

func (e *UnknownKindError) Error() string {
	return fmt.Sprintf("unknown Flux kind %q; known kinds: %s", e.Name, strings.Join(Names(), ", "))
}

// Names lists the kinds with their short names, for messages and completion.
func Names() []string {
	out := make([]string, 0, len(table))
	for _, k := range table {
		out = append(out, fmt.Sprintf("%s (%s)", k.Kind, strings.Join(k.ShortNames, ",")))
	}
	sort.Strings(out)
	return out
}
