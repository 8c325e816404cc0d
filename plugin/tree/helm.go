package tree

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/selection"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
)

// Helm's storage driver for Secrets: one Secret per release version, labelled with the release.
const (
	helmReleaseSecretType = "helm.sh/release.v1"
	helmOwnerLabel        = "owner"
	helmNameLabel         = "name"
	helmStatusLabel       = "status"
	helmVersionLabel      = "version"
	helmDeployed          = "deployed"
)

// helmTarget is where a HelmRelease's release lives.
type helmTarget struct {
	StorageNamespace string
	Release          string
}

// helmTargetOf finds the release of a HelmRelease. The status, written by helm-controller, is the
// truth (it also holds the shortened name of a release whose name would exceed Helm's limit); the
// spec and the controller's naming rule are the fallback for a release that never reported.
func helmTargetOf(hr *unstructured.Unstructured) helmTarget {
	t := helmTarget{StorageNamespace: hr.GetNamespace()}
	if ns, _, _ := unstructured.NestedString(hr.Object, "spec", "storageNamespace"); ns != "" {
		t.StorageNamespace = ns
	}
	if ns, _, _ := unstructured.NestedString(hr.Object, "status", "storageNamespace"); ns != "" {
		t.StorageNamespace = ns
	}
	if hist, _, _ := unstructured.NestedSlice(hr.Object, "status", "history"); len(hist) > 0 {
		if m, ok := hist[0].(map[string]any); ok {
			if n, _ := m["name"].(string); n != "" {
				t.Release = n
				return t
			}
		}
	}
	if n, _, _ := unstructured.NestedString(hr.Object, "spec", "releaseName"); n != "" {
		t.Release = n
		return t
	}
	t.Release = hr.GetName()
	if tn, _, _ := unstructured.NestedString(hr.Object, "spec", "targetNamespace"); tn != "" {
		t.Release = tn + "-" + hr.GetName()
	}
	return t
}

// helmRelease is the part of Helm's stored release that the tree needs.
type helmRelease struct {
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
	Version   int    `json:"version"`
	Manifest  string `json:"manifest"`
}

// helmInventories reads the releases of many HelmReleases with one list of storage Secrets per
// storage namespace, all namespaces at once. The result maps each target to its objects, or to the
// reason it has none.
func (o *Options) helmInventories(ctx context.Context, targets []helmTarget) (map[helmTarget][]ref, map[helmTarget]string, error) {
	byNS := map[string][]string{}
	for _, t := range targets {
		byNS[t.StorageNamespace] = append(byNS[t.StorageNamespace], t.Release)
	}
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		firstErr error
		refs     = map[helmTarget][]ref{}
		notes    = map[helmTarget]string{}
	)
	for ns, releases := range byNS {
		wg.Add(1)
		go func() {
			defer wg.Done()
			secrets, err := o.listReleaseSecrets(ctx, ns, releases)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				return
			}
			for _, rel := range releases {
				t := helmTarget{StorageNamespace: ns, Release: rel}
				s := latestRelease(secrets, rel)
				if s == nil {
					notes[t] = fmt.Sprintf("no Helm release %q stored in namespace %s", rel, ns)
					continue
				}
				r, err := objectsOfRelease(s)
				if err != nil {
					notes[t] = err.Error()
					continue
				}
				refs[t] = r
			}
		}()
	}
	wg.Wait()
	return refs, notes, firstErr
}

func (o *Options) listReleaseSecrets(ctx context.Context, ns string, releases []string) ([]corev1.Secret, error) {
	owner, _ := labels.NewRequirement(helmOwnerLabel, selection.Equals, []string{"helm"})
	names, err := labels.NewRequirement(helmNameLabel, selection.In, releases)
	if err != nil {
		return nil, fmt.Errorf("invalid Helm release name: %w", err)
	}
	opts := metav1.ListOptions{
		LabelSelector: labels.NewSelector().Add(*owner, *names).String(),
		FieldSelector: "type=" + helmReleaseSecretType,
	}
	var out []corev1.Secret
	for {
		list, err := o.clients.Kube.CoreV1().Secrets(ns).List(ctx, opts)
		if err != nil {
			return nil, cluster.Explain(err)
		}
		out = append(out, list.Items...)
		if list.Continue == "" {
			return out, nil
		}
		opts.Continue = list.Continue
	}
}

// latestRelease picks the release version whose objects are in the cluster: the latest deployed
// one, else (a release that never deployed) the latest of any status.
func latestRelease(secrets []corev1.Secret, release string) *corev1.Secret {
	var mine []*corev1.Secret
	for i := range secrets {
		if secrets[i].Labels[helmNameLabel] == release {
			mine = append(mine, &secrets[i])
		}
	}
	sort.Slice(mine, func(a, b int) bool { return secretVersion(mine[a]) > secretVersion(mine[b]) })
	for _, s := range mine {
		if s.Labels[helmStatusLabel] == helmDeployed {
			return s
		}
	}
	if len(mine) > 0 {
		return mine[0]
	}
	return nil
}

func secretVersion(s *corev1.Secret) int {
	if v, err := strconv.Atoi(s.Labels[helmVersionLabel]); err == nil {
		return v
	}
	if i := strings.LastIndex(s.Name, ".v"); i >= 0 {
		v, _ := strconv.Atoi(s.Name[i+2:])
		return v
	}
	return 0
}

// objectsOfRelease decodes a storage Secret (data.release: base64 of the gzipped release JSON) and
// lists the objects of its rendered manifest.
func objectsOfRelease(s *corev1.Secret) ([]ref, error) {
	rel, err := decodeRelease(s.Data["release"])
	if err != nil {
		return nil, fmt.Errorf("cannot decode Helm release Secret %s/%s: %w", s.Namespace, s.Name, err)
	}
	refs, err := manifestObjects(rel.Manifest, rel.Namespace)
	if err != nil {
		return nil, fmt.Errorf("cannot read the manifest of Helm release Secret %s/%s: %w", s.Namespace, s.Name, err)
	}
	return refs, nil
}

func decodeRelease(data []byte) (*helmRelease, error) {
	if len(data) == 0 {
		return nil, errors.New("no release data")
	}
	b, err := base64.StdEncoding.DecodeString(string(data))
	if err != nil {
		return nil, err
	}
	if bytes.HasPrefix(b, []byte{0x1f, 0x8b, 0x08}) {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, err
		}
		b, err = io.ReadAll(zr)
		if cerr := zr.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, err
		}
	}
	rel := &helmRelease{}
	if err := json.Unmarshal(b, rel); err != nil {
		return nil, err
	}
	return rel, nil
}

// manifestObjects names the objects of a multi-document YAML manifest, in order.
func manifestObjects(manifest, releaseNamespace string) ([]ref, error) {
	r := utilyaml.NewYAMLReader(bufio.NewReader(strings.NewReader(manifest)))
	var out []ref
	for {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		obj := map[string]any{}
		if err := yaml.Unmarshal(doc, &obj); err != nil {
			return nil, err
		}
		if len(obj) == 0 {
			continue
		}
		u := &unstructured.Unstructured{Object: obj}
		items := []unstructured.Unstructured{*u}
		if u.IsList() {
			if l, err := u.ToList(); err == nil {
				items = l.Items
			}
		}
		for _, it := range items {
			gv, _ := schema.ParseGroupVersion(it.GetAPIVersion())
			if it.GetKind() == "" || it.GetName() == "" {
				continue
			}
			out = append(out, ref{GroupKind: schema.GroupKind{Group: gv.Group, Kind: it.GetKind()}, Version: gv.Version,
				Namespace: it.GetNamespace(), Name: it.GetName(), DefaultNamespace: releaseNamespace})
		}
	}
}
