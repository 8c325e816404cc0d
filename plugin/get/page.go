package get

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/kubectl-flux-mcp/kubectl-flux-mcp/plugin/fluxkinds"
)

// A limited answer is for a reader with little room, a model above all: it counts everything per
// kind, then shows the objects that need attention first, up to the limit, and says how many it
// left out and how to get them. The API server's own paging (limit/continue on a list) cannot
// give either the counts or that order, which need every object of the query, so the whole query
// is read (one list per kind, as without a limit; the lists are cheap with ItemsOnly) and the page
// is cut in memory. The continue token is the position of the last item shown, not an offset, so
// objects created or deleted between two calls shift nothing.

// KindCount is how many objects of a kind matched, by state.
type KindCount struct {
	Kind      string `json:"kind"`
	Total     int    `json:"total"`
	Ready     int    `json:"ready" jsonschema:"Ready condition True"`
	NotReady  int    `json:"notReady" jsonschema:"Ready condition False"`
	Unknown   int    `json:"unknown,omitempty" jsonschema:"Ready condition Unknown: reconciling"`
	Suspended int    `json:"suspended,omitempty"`
	Stalled   int    `json:"stalled,omitempty"`
}

// Page says what a limit left out.
type Page struct {
	Truncated bool   `json:"truncated,omitempty" jsonschema:"More objects matched than the limit let through"`
	Omitted   int    `json:"omitted,omitempty" jsonschema:"How many matching objects were left out"`
	Continue  string `json:"continue,omitempty" jsonschema:"Pass as continue, with the same query, for the next page"`
	Notice    string `json:"notice,omitempty" jsonschema:"What was left out and how to get it"`
}

func summarise(items []Item) []KindCount {
	var out []KindCount
	at := map[string]int{}
	for _, it := range items {
		i, ok := at[it.Kind]
		if !ok {
			i = len(out)
			at[it.Kind] = i
			out = append(out, KindCount{Kind: it.Kind})
		}
		c := &out[i]
		c.Total++
		switch it.Ready {
		case "True":
			c.Ready++
		case "False":
			c.NotReady++
		case "Unknown":
			c.Unknown++
		}
		if it.Suspended {
			c.Suspended++
		}
		if it.Stalled {
			c.Stalled++
		}
	}
	return out
}

// rank orders items for attention: failing, then suspended, then reconciling, then the rest.
func rank(it Item) int {
	switch {
	case it.Ready == "False" || it.Stalled:
		return 0
	case it.Suspended:
		return 1
	case it.Ready == "Unknown":
		return 2
	}
	return 3
}

// position is where a page ended: the sort key of its last item, and the query it belongs to.
type position struct {
	Query     string `json:"q"`
	Rank      int    `json:"r"`
	Kind      int    `json:"k"`
	Context   string `json:"c,omitempty"`
	Namespace string `json:"ns,omitempty"`
	Name      string `json:"n"`
}

func (o *Options) positionOf(it Item, kindIndex map[string]int) position {
	return position{Query: o.queryID(), Rank: rank(it), Kind: kindIndex[it.Kind], Context: it.Context,
		Namespace: it.Namespace, Name: it.Name}
}

func (p position) less(q position) bool {
	if p.Rank != q.Rank {
		return p.Rank < q.Rank
	}
	if p.Kind != q.Kind {
		return p.Kind < q.Kind
	}
	if p.Context != q.Context {
		return p.Context < q.Context
	}
	if p.Namespace != q.Namespace {
		return p.Namespace < q.Namespace
	}
	return p.Name < q.Name
}

// queryID identifies the query a token was made for, so that a token is not used on another one.
func (o *Options) queryID() string {
	h := sha256.Sum256([]byte(strings.Join([]string{o.Kind, o.Namespace, fmt.Sprint(o.AllNamespaces), o.LabelSelector,
		o.StatusSelector, o.Context, strings.Join(o.fleetNames, ",")}, "\x00")))
	return base64.RawURLEncoding.EncodeToString(h[:6])
}

var errToken = errors.New("invalid continue token: pass the continue value of the previous answer unchanged, with the same kind, namespace and selectors, or omit it to start over")

func (o *Options) decodeToken(tok string) (*position, error) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return nil, errToken
	}
	var p position
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, errToken
	}
	return &p, nil
}

func encodeToken(p position) string {
	raw, _ := json.Marshal(p)
	return base64.RawURLEncoding.EncodeToString(raw)
}

// page orders the items for attention and keeps those after the continue position, up to the limit.
func (o *Options) page(res *Result) {
	kindIndex := map[string]int{}
	for i, k := range o.kinds {
		kindIndex[k.Kind] = i
	}
	if len(kindIndex) == 0 {
		for i, k := range fluxkinds.All() {
			kindIndex[k.Kind] = i
		}
	}
	keys := make([]position, len(res.Items))
	for i, it := range res.Items {
		keys[i] = o.positionOf(it, kindIndex)
	}
	idx := make([]int, len(res.Items))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return keys[idx[a]].less(keys[idx[b]]) })
	total := len(idx)
	start := 0
	if o.after != nil {
		start = sort.Search(len(idx), func(i int) bool { return o.after.less(keys[idx[i]]) })
	}
	end := min(start+o.Limit, len(idx))
	items := make([]Item, 0, end-start)
	for _, i := range idx[start:end] {
		items = append(items, res.Items[i])
	}
	res.Items = items
	omitted := total - len(items)
	if omitted == 0 {
		return
	}
	res.Truncated, res.Omitted = true, omitted
	more := total - end
	res.Notice = fmt.Sprintf("truncated: showing %d of %d matching objects (those needing attention first, limit %d); %d left out",
		len(items), total, o.Limit, omitted)
	if more > 0 && len(items) > 0 {
		res.Continue = encodeToken(keys[idx[end-1]])
		res.Notice += fmt.Sprintf(", %d of them after this page: continue with %q for the next page", more, res.Continue)
	}
	res.Notice += ", or narrow with a namespace, a label selector or a status selector (e.g. ready=false), or raise the limit"
}

// SortByKind orders the items by kind, in the order of fluxkinds.All, keeping the order within a kind.
func (r *Result) SortByKind() {
	at := map[string]int{}
	for i, k := range fluxkinds.All() {
		at[k.Kind] = i
	}
	sort.SliceStable(r.Items, func(a, b int) bool { return at[r.Items[a].Kind] < at[r.Items[b].Kind] })
}

// Compact drops what a model does not need from the items: the API version and creation time,
// and the message of a ready object, which only repeats its revision. messageMax > 0 cuts longer
// messages (a kustomize build error can run to kilobytes) and marks the cut.
func (r *Result) Compact(messageMax int) {
	for i := range r.Items {
		it := &r.Items[i]
		it.APIVersion, it.CreationTimestamp = "", ""
		if it.Ready == "True" {
			it.Message = ""
		}
		if messageMax > 0 && len(it.Message) > messageMax {
			cut := messageMax
			for cut > 0 && !utf8.RuneStart(it.Message[cut]) {
				cut--
			}
			it.Message = it.Message[:cut] + "… (cut; name the object for all of it)"
		}
	}
}
