package cmd

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
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
)

func (c kindChoice) allows(k fluxkinds.Kind) bool {
	switch c {
	case reconcilableKinds:
		return k.Reconcilable
	case suspendableKinds:
		return k.Suspend != fluxkinds.NotSuspendable
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
	ctx, cancel := completionContext(ctx)
	defer cancel()
	ri := cl.Dynamic.Resource(m.Resource)
	ns := cl.Namespace
	if allNamespaces {
		ns = metav1.NamespaceAll
	}
	list, err := ri.Namespace(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil
	}
	names := make([]string, 0, len(list.Items))
	for _, o := range list.Items {
		names = append(names, o.GetName())
	}
	return names
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
