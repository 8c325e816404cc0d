// Package parsefuzz holds the fuzz targets of the parsers of user input: Flux status selectors,
// manifests and JSONPath fields. They live here rather than next to the parsers because `go test
// -fuzz` instruments every package of the test binary, and the parsers' own packages start the
// test API server in TestMain: their instrumented build compiled envtest, controller-runtime and
// client-go's informers too (~180 packages, a third of the cold fuzz build), and every fuzz worker
// started an API server. The seed corpora run as plain tests in `go test ./...`.
package parsefuzz
