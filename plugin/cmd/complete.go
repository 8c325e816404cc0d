package cmd

import (
	"context"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/cluster"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/trace"
	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/tree"
)

// kindChoice says which Flux kinds the first argument of a command completes to.
type kindChoice int

const (
	// kindsOrAll is every Flux kind and the word "all" (get).
	kindsOrAll kindChoice = iota
	// anyKind is every Flux kind.
	anyKind
	// reconcilableKinds honour the reconcile annotation (reconcile).
	reconcilableKinds
	// suspendableKinds can be suspended and resumed (suspend, resume).
	suspendableKinds
	// inventoryKinds record what they applied (tree).
	inventoryKinds
)

func (c kindChoice) allows(k fluxkinds.Kind) bool {
	switch c {
	case reconcilableKinds:
		return k.Reconcilable
	case suspendableKinds:
		return k.Suspend != fluxkinds.NotSuspendable
	case inventoryKinds:
		return tree.HasInventory(k)
	}
	return true
}

// completionTimeout bounds every cluster call made while the shell waits for a TAB.
const completionTimeout = 5 * time.Second

// completeKindAndNames completes arguments of the form KIND NAME...: the first one from the Flux
// kinds table, the next ones from the names of that kind in the cluster, read live with the
// command line's -n, -A, --context and --kubeconfig. maxNames caps how many names the command
// takes (0: any number). A command uses it with one line:
//
//	ValidArgsFunction: completeKindAndNames(env, reconcilableKinds, 0),
func completeKindAndNames(env *Env, kinds kindChoice, maxNames int) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) == 0 {
			return kindCompletions(kinds, toComplete), cobra.ShellCompDirectiveNoFileComp
		}
		if maxNames > 0 && len(args)-1 >= maxNames {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		k, err := fluxkinds.Lookup(args[0])
		if err != nil || !kinds.allows(k) {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		allNS, _ := cmd.Flags().GetBool("all-namespaces")
		names := objectNames(cmd.Context(), env, k, allNS)
		return filterCompletions(names, toComplete, args[1:]), cobra.ShellCompDirectiveNoFileComp
	}
}

// kindCompletions offers, per kind, the first of its names that starts with what was typed: the
// singular name when nothing was typed, a short name such as "ks" when that was typed.
func kindCompletions(kinds kindChoice, toComplete string) []cobra.Completion {
	prefix := strings.ToLower(toComplete)
	var out []cobra.Completion
	if all := "all"; kinds == kindsOrAll && strings.HasPrefix(all, prefix) { // "all" completes from any prefix of it
		out = append(out, cobra.CompletionWithDesc("all", "every Flux kind"))
	}
	for _, k := range fluxkinds.All() {
		if !kinds.allows(k) {
			continue
		}
		desc := k.Kind
		if len(k.ShortNames) > 0 {
			desc += " (" + strings.Join(k.ShortNames, ", ") + ")"
		}
		for _, name := range append([]string{k.Singular(), k.Plural}, k.ShortNames...) {
			if strings.HasPrefix(name, prefix) {
				out = append(out, cobra.CompletionWithDesc(name, desc))
				break
			}
		}
	}
	return out
}

// objectNames lists the names of one kind in the command's namespace (or all namespaces); any
// failure (no cluster, no rights, CRD missing) gives no names rather than an error in the shell.
func objectNames(ctx context.Context, env *Env, k fluxkinds.Kind, allNamespaces bool) []string {
	cl, err := env.Clients.For("")
	if err != nil {
		return nil
	}
	m, err := cl.ResolveKind(k)
	if err != nil {
		return nil
	}
	return namesOf(ctx, cl, m, allNamespaces)
}

// namesOf lists the names of the objects of one resource: in the command's namespace (or all
// namespaces) for a namespaced resource, cluster-wide for a cluster-scoped one.
func namesOf(ctx context.Context, cl *cluster.Clients, m *meta.RESTMapping, allNamespaces bool) []string {
	ctx, cancel := completionContext(ctx)
	defer cancel()
	ns := cl.Namespace
	if allNamespaces {
		ns = metav1.NamespaceAll
	}
	list, err := cl.Resource(m, ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil
	}
	names := make([]string, 0, len(list.Items))
	for _, o := range list.Items {
		names = append(names, o.GetName())
	}
	return names
}

// completeAnyKindAndName completes trace's KIND NAME and KIND/NAME, where KIND is any kind the
// cluster serves: the Flux kinds as the other commands offer them, then every other resource of
// the cluster's discovery (cached on disk, shared with kubectl) under the names kubectl takes.
// Names are read live, with --api-version when the kind needs it.
func completeAnyKindAndName(env *Env) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		apiVersion, _ := cmd.Flags().GetString("api-version")
		names := func(kind string) []string {
			cl, err := env.Clients.For("")
			if err != nil {
				return nil
			}
			m, err := trace.ResolveKind(cl, kind, apiVersion)
			if err != nil {
				return nil
			}
			return namesOf(cmd.Context(), cl, m, false)
		}
		switch {
		case len(args) == 0 && strings.Contains(toComplete, "/"):
			kind, prefix, _ := strings.Cut(toComplete, "/")
			var out []cobra.Completion
			for _, n := range filterCompletions(names(kind), prefix, nil) {
				out = append(out, kind+"/"+n)
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		case len(args) == 0:
			return append(kindCompletions(anyKind, toComplete), servedKindCompletions(env, toComplete)...), cobra.ShellCompDirectiveNoFileComp
		case len(args) == 1 && !strings.Contains(args[0], "/"):
			return filterCompletions(names(args[0]), toComplete, nil), cobra.ShellCompDirectiveNoFileComp
		}
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
}

// servedKindCompletions offers the resources of the cluster's discovery that are no Flux kinds
// (those come from the table, with their singular names), one entry each: the plural name, or
// the first short name that starts with what was typed (deployments, deploy). A plural served by
// two groups (events) is qualified with the group the second time, as kubectl api-resources
// -o name does.
func servedKindCompletions(env *Env, toComplete string) []cobra.Completion {
	cl, err := env.Clients.For("")
	if err != nil {
		return nil
	}
	// Partial results (a group whose discovery failed) are still worth offering.
	lists, _ := cl.Discovery.ServerPreferredResources()
	flux := map[schema.GroupKind]bool{}
	for _, k := range fluxkinds.All() {
		flux[schema.GroupKind{Group: k.Group, Kind: k.Kind}] = true
	}
	prefix := strings.ToLower(toComplete)
	seen := map[string]bool{}
	var out []cobra.Completion
	for _, list := range lists {
		gv, err := schema.ParseGroupVersion(list.GroupVersion)
		if err != nil {
			continue
		}
		for _, r := range list.APIResources {
			if strings.Contains(r.Name, "/") || flux[schema.GroupKind{Group: gv.Group, Kind: r.Kind}] || !slices.Contains(r.Verbs, "get") {
				continue
			}
			plural := r.Name
			if seen[plural] {
				plural += "." + gv.Group
			}
			seen[plural] = true
			desc := r.Kind
			if len(r.ShortNames) > 0 {
				desc += " (" + strings.Join(r.ShortNames, ", ") + ")"
			}
			for _, name := range append([]string{plural}, r.ShortNames...) {
				if strings.HasPrefix(name, prefix) {
					out = append(out, cobra.CompletionWithDesc(name, desc))
					break
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// registerConnectionFlagCompletion completes -n/--namespace with the cluster's namespaces and
// --context, --cluster and --user with the entries of the kubeconfig.
func registerConnectionFlagCompletion(root *cobra.Command, env *Env) {
	_ = root.RegisterFlagCompletionFunc("namespace", func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		cl, err := env.Clients.For("")
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		ctx, cancel := completionContext(cmd.Context())
		defer cancel()
		list, err := cl.Kube.CoreV1().Namespaces().List(ctx, metav1.ListOptions{})
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		names := make([]string, 0, len(list.Items))
		for _, ns := range list.Items {
			names = append(names, ns.Name)
		}
		return filterCompletions(names, toComplete, nil), cobra.ShellCompDirectiveNoFileComp
	})
	kubeconfig := func(entries func(contexts, clusters, users []string) []string) cobra.CompletionFunc {
		return func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			raw, err := env.Flags.ToRawKubeConfigLoader().RawConfig()
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var contexts, clusters, users []string
			for n := range raw.Contexts {
				contexts = append(contexts, n)
			}
			for n := range raw.Clusters {
				clusters = append(clusters, n)
			}
			for n := range raw.AuthInfos {
				users = append(users, n)
			}
			return filterCompletions(entries(contexts, clusters, users), toComplete, nil), cobra.ShellCompDirectiveNoFileComp
		}
	}
	_ = root.RegisterFlagCompletionFunc("context", kubeconfig(func(c, _, _ []string) []string { return c }))
	_ = root.RegisterFlagCompletionFunc("cluster", kubeconfig(func(_, c, _ []string) []string { return c }))
	_ = root.RegisterFlagCompletionFunc("user", kubeconfig(func(_, _, u []string) []string { return u }))
}

// filterCompletions keeps the names that start with what was typed and are not already on the
// command line, sorted and without duplicates (names repeat across namespaces with -A).
func filterCompletions(names []string, toComplete string, used []string) []cobra.Completion {
	skip := map[string]bool{}
	for _, u := range used {
		skip[u] = true
	}
	var out []cobra.Completion
	for _, n := range names {
		if strings.HasPrefix(n, toComplete) && !skip[n] {
			skip[n] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

func completionContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if ctx == nil {
		ctx = context.Background()
	}
	return context.WithTimeout(ctx, completionTimeout)
}
