package get

// StatusSelectorTerms parses a --status-selector value as Validate does and returns its terms as
// "condition=status" strings (status lower-cased). It exists for the fuzz target in
// internal/parsefuzz, which lives outside this package so that its instrumented build does not
// pull in the test API server that this package's tests start.
func StatusSelectorTerms(s string) ([]string, error) {
	terms, err := parseStatusSelector(s)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(terms))
	for i, t := range terms {
		out[i] = t.condType + "=" + t.status
	}
	return out, nil
}
