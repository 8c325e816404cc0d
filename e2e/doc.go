//go:build e2e

// Package e2e runs the plugin and its MCP server against the real Flux source-controller and
// kustomize-controller (built by hack/controllers/setup.sh), which reconcile GitRepositories served
// by `git http-backend` on 127.0.0.1 into the test API server. Run it with `make e2e`.
package e2e
