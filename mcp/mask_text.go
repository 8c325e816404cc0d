package mcp

import (
	"encoding/json"
	"errors"
	"io"
	"regexp"
	"sort"
	"strings"

	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// MaskText masks free text that is not part of a tool result, such as a progress notification or
// a log line: the same masking as a result's text, without the values of its structured content.
func MaskText(text string) string { return maskText(text, secretValues{}) }

// maskText masks a text content: a text that is YAML or JSON of Secrets is masked as documents,
// the Secret values seen in the structured content are scrubbed wherever they appear, and
// secret-shaped strings are masked by pattern.
func maskText(text string, values secretValues) string {
	text = maskDocuments(text, values)
	known := make([]string, 0, len(values))
	for v := range values {
		known = append(known, v)
	}
	// Longest first, so that a value that contains another is replaced whole.
	sort.Slice(known, func(i, j int) bool { return len(known[i]) > len(known[j]) })
	for _, v := range known {
		text = strings.ReplaceAll(text, v, Masked)
	}
	return maskPatterns(text)
}

// maskDocuments re-renders a text that parses as YAML or JSON documents holding a Secret, with
// the Secret masked; any other text is returned as it is.
func maskDocuments(text string, values secretValues) string {
	if !strings.Contains(text, "Secret") {
		return text
	}
	dec := utilyaml.NewYAMLOrJSONDecoder(strings.NewReader(text), 4096)
	var docs []any
	for {
		var doc any
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return text
		}
		docs = append(docs, doc)
	}
	found := secretValues{}
	for _, d := range docs {
		maskValue(d, found)
	}
	if len(found) == 0 && !hasMaskedSecret(docs) {
		return text
	}
	for v := range found {
		values[v] = true
	}
	asJSON := strings.HasPrefix(strings.TrimSpace(text), "{") || strings.HasPrefix(strings.TrimSpace(text), "[")
	var b strings.Builder
	for i, d := range docs {
		var out []byte
		var err error
		if asJSON {
			out, err = json.MarshalIndent(d, "", "  ")
			out = append(out, '\n')
		} else {
			if i > 0 {
				b.WriteString("---\n")
			}
			out, err = yaml.Marshal(d)
		}
		if err != nil {
			return Masked
		}
		b.Write(out)
	}
	return b.String()
}

// hasMaskedSecret says whether masking changed a document: a Secret whose values were all
// shorter than minScrub records none, yet must still be re-rendered.
func hasMaskedSecret(docs []any) bool {
	raw, _ := json.Marshal(docs)
	return strings.Contains(string(raw), `"`+Masked+`"`)
}

// Secret-shaped strings in free text, such as a Flux condition message that quotes a URL. Each
// pattern has a cheap pre-check that every string it can match passes (its literal parts): a
// listing has thousands of strings, and running five regular expressions over each doubled the
// cost of a call. The checks are ASCII: a string with any other byte goes to the regexps as it
// is, since (?i) also folds letters such as the Kelvin sign onto k.
var patterns = []struct {
	pre  func(s string) bool
	re   *regexp.Regexp
	repl string
}{
	// -----BEGIN RSA PRIVATE KEY----- … -----END RSA PRIVATE KEY----- (or cut off before the end).
	{func(s string) bool { return strings.Contains(s, "-----BEGIN ") },
		regexp.MustCompile(`-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\z)`), "-----BEGIN ${1}-----\n" + Masked + "\n-----END ${1}-----"},
	// https://user:password@host
	{func(s string) bool { return strings.Contains(s, "://") && strings.Contains(s, "@") },
		regexp.MustCompile(`\b([a-zA-Z][a-zA-Z0-9+.\-]*://)([^\s:/@]+):([^\s/@]+)@`), "${1}${2}:" + Masked + "@"},
	// Authorization: Bearer xxx / Basic xxx
	{func(s string) bool { return containsFold(s, "bearer") || containsFold(s, "basic") },
		regexp.MustCompile(`(?i)\b(bearer|basic)(\s+)[A-Za-z0-9\-._~+/]{8,}=*`), "${1}${2}" + Masked},
	// password=xxx, "token": "xxx", client_secret: xxx
	{func(s string) bool {
		return strings.ContainsAny(s, ":=") && (containsFold(s, "pass") || containsFold(s, "pwd") ||
			containsFold(s, "token") || containsFold(s, "key") || containsFold(s, "secret"))
	},
		regexp.MustCompile(`(?i)\b([a-z0-9_\-]*(?:password|passwd|pwd|passphrase|token|api[_\-]?key|access[_\-]?key|secret[_\-]?key|client[_\-]?secret|private[_\-]?key))("?\s*[:=]\s*"?)([^\s"',;&}\]]+)`), "${1}${2}" + Masked},
	// JSON Web Tokens (service account tokens among them).
	{func(s string) bool { return strings.Contains(s, "eyJ") },
		regexp.MustCompile(`\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}`), Masked},
}

func maskPatterns(s string) string {
	ascii := isASCII(s)
	for _, p := range patterns {
		if ascii && !p.pre(s) {
			continue
		}
		s = p.re.ReplaceAllString(s, p.repl)
	}
	return s
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// containsFold reports whether s contains lower, a lower-case ASCII word, in any ASCII case.
func containsFold(s, lower string) bool {
	n := len(lower)
	for i := 0; i+n <= len(s); i++ {
		j := 0
		for j < n && s[i+j]|0x20 == lower[j] {
			j++
		}
		if j == n {
			return true
		}
	}
	return false
}
