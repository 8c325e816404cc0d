# kubectl-flux-mcp: build, test ground, tests, demo.
SHELL := /usr/bin/env bash
.DEFAULT_GOAL := build

CACHE_DIR ?= $(HOME)/.cache/kubectl-flux-mcp
export KFM_CACHE_DIR := $(CACHE_DIR)
export GOTOOLCHAIN := local
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
MODULE := github.com/kubectl-flux-mcp/kubectl-flux-mcp
LDFLAGS := -s -w -X $(MODULE)/plugin/version.Version=$(VERSION)
BIN := bin/kubectl-flux_mcp
GOLANGCI_LINT_VERSION := v2.15.0
GOLANGCI_LINT := $(CACHE_DIR)/tools/golangci-lint-$(GOLANGCI_LINT_VERSION)
DEMO_DIR := $(CACHE_DIR)/demo
DEMO_KUBECONFIG := $(DEMO_DIR)/kubeconfig

.PHONY: build
build: ## Build the plugin into bin/ (static, as released: a cgo build maps ~25 MB more of itself)
	CGO_ENABLED=0 go build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/kubectl-flux_mcp

.PHONY: testbin
testbin: ## Build kube-apiserver, etcd, kubectl and the Flux CRDs into the cache (once per version)
	@hack/testbin/setup.sh all >/dev/null

.PHONY: node
node: ## Install Node.js 22 and the MCP TypeScript SDK and conformance suite into the cache (once per version)
	@hack/node/setup.sh >/dev/null

.PHONY: test
test: testbin node docs-check ## Unit tests, integration tests against the real API server, MCP protocol tests
	go vet ./...
	@rm -f $(CACHE_DIR)/load/latest.txt
	go test -count=1 ./...
	@cat $(CACHE_DIR)/load/latest.txt 2>/dev/null || true

.PHONY: controllers
controllers: ## Build the Flux source-controller and kustomize-controller into the cache (once per version)
	@hack/controllers/setup.sh all >/dev/null

# KFM_E2E_REQUIRED=1: a set-up failure (no git, no controllers, no API server) fails the run
# instead of skipping every test; the suite prints where the controllers' logs are.
.PHONY: e2e
e2e: testbin controllers ## End to end: the real Flux controllers reconcile from a local Git server; plugin and MCP drive them
	KFM_E2E_REQUIRED=1 go test -tags e2e -count=1 -timeout 20m ./e2e/...

.PHONY: unit
unit: ## Unit tests only (integration tests skip without the test ground)
	KUBEBUILDER_ASSETS=/nonexistent KFM_CRDS_DIR=/nonexistent go test -count=1 ./...

.PHONY: lint
lint: $(GOLANGCI_LINT) ## golangci-lint
	$(GOLANGCI_LINT) run ./...

$(GOLANGCI_LINT):
	@mkdir -p $(CACHE_DIR)/tools/tmp
	GOBIN=$(CACHE_DIR)/tools/tmp go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	mv $(CACHE_DIR)/tools/tmp/golangci-lint $@

.PHONY: demo
demo: build testbin demo-stop ## Start the local API server with sample Flux objects and show them
	@mkdir -p $(DEMO_DIR)
	@go build -o $(DEMO_DIR)/demo ./hack/demo
	@setsid $(DEMO_DIR)/demo --kubeconfig $(DEMO_KUBECONFIG) >$(DEMO_DIR)/demo.log 2>&1 < /dev/null & echo $$! > $(DEMO_DIR)/demo.pid
	@for i in $$(seq 1 120); do [ -f $(DEMO_KUBECONFIG) ] && break; \
		kill -0 $$(cat $(DEMO_DIR)/demo.pid) 2>/dev/null || { cat $(DEMO_DIR)/demo.log; exit 1; }; sleep 0.5; done
	@[ -f $(DEMO_KUBECONFIG) ] || { echo "demo cluster did not start; see $(DEMO_DIR)/demo.log"; exit 1; }
	@echo '$$ kubectl flux-mcp version'
	@$(BIN) version --kubeconfig $(DEMO_KUBECONFIG)
	@echo
	@echo '$$ kubectl flux-mcp get all -A'
	@$(BIN) get all -A --kubeconfig $(DEMO_KUBECONFIG)
	@echo
	@echo '$$ kubectl flux-mcp get all -A --status-selector ready=false'
	@$(BIN) get all -A --status-selector ready=false --kubeconfig $(DEMO_KUBECONFIG)
	@echo
	@echo "The demo API server keeps running. To use it:"
	@echo "  export KUBECONFIG=$(DEMO_KUBECONFIG) PATH=$(CURDIR)/bin:\$$PATH"
	@echo "  kubectl flux-mcp get ks -A        # needs kubectl on PATH; or run bin/kubectl-flux_mcp directly"
	@echo "Stop it with: make demo-stop"

.PHONY: demo-stop
demo-stop: ## Stop the demo API server
	@if [ -f $(DEMO_DIR)/demo.pid ]; then kill $$(cat $(DEMO_DIR)/demo.pid) 2>/dev/null || true; \
		for i in $$(seq 1 40); do kill -0 $$(cat $(DEMO_DIR)/demo.pid) 2>/dev/null || break; sleep 0.25; done; \
		rm -f $(DEMO_DIR)/demo.pid $(DEMO_KUBECONFIG); fi

.PHONY: docs
docs: ## Regenerate docs/commands/, docs/tools.md and the tools' generated schemas from the code
	go test ./mcp/tools -run GeneratedSchemas -update -count=1 >/dev/null
	go run ./hack/gendocs -out docs

.PHONY: docs-check
docs-check: ## Fail when docs/commands/ or docs/tools.md differ from what the code generates
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && go run ./hack/gendocs -out "$$tmp" && \
		{ diff -ru docs/commands "$$tmp/commands" && diff -u docs/tools.md "$$tmp/tools.md"; } || \
		{ echo "docs are stale: run 'make docs' and commit docs/"; exit 1; }

# Release: reproducible archives, the krew manifest, and the checks that prove both.
DIST_DIR ?= dist
RELEASE_URL ?= https://github.com/kubectl-flux-mcp/kubectl-flux-mcp/releases/download/$(VERSION)
RELEASE_ENV = VERSION=$(VERSION) DIST_DIR=$(DIST_DIR) RELEASE_URL=$(RELEASE_URL)
CHECK_VERSION := v0.0.0-check

.PHONY: dist
dist: ## Cross-compiled release archives and checksums into dist/ (make dist VERSION=v1.2.3)
	$(RELEASE_ENV) hack/release/dist.sh

.PHONY: krew-manifest
krew-manifest: ## Render dist/flux-mcp.yaml from krew/flux-mcp.yaml.tmpl and the archives in dist/
	$(RELEASE_ENV) hack/release/krew.sh

.PHONY: krew-test
krew-test: testbin ## Validate dist/flux-mcp.yaml, install it offline with krew, run the plugin through kubectl
	$(RELEASE_ENV) hack/release/krew-test.sh

.PHONY: release-check
release-check: testbin ## Archives built twice are identical; the krew manifest installs; go install works
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	export VERSION=$(CHECK_VERSION) DIST_DIR="$$tmp/dist" RELEASE_URL=https://example.invalid/$(CHECK_VERSION) && \
	hack/release/check-reproducible.sh && hack/release/krew.sh && hack/release/krew-test.sh && \
	hack/release/check-goinstall.sh

BENCH_DIR := $(CACHE_DIR)/bench
BENCH_FLAGS ?=

.PHONY: bench
bench: build testbin ## Benchmarks against flux, kubectl, client-go and kubernetes-mcp-server (minutes; not part of test)
	@flux=$$(hack/baselines/flux.sh | tail -n1) && kms=$$(hack/baselines/kubernetes-mcp-server.sh | tail -n1) && \
	fom=$$( [ -n "$(BENCH_FLUX_OPERATOR)" ] && hack/baselines/flux-operator-mcp.sh | tail -n1 || true) && \
	mkdir -p $(BENCH_DIR) && \
	go build -o $(BENCH_DIR)/bench ./hack/bench && \
	go build -o $(BENCH_DIR)/rawlist ./hack/bench/rawlist && \
	go build -o $(BENCH_DIR)/peakrss ./hack/bench/peakrss && \
	$(BENCH_DIR)/bench --bin $(BIN) --flux "$$flux" --kubernetes-mcp-server "$$kms" --flux-operator-mcp "$$fom" \
		--rawlist $(BENCH_DIR)/rawlist --peakrss $(BENCH_DIR)/peakrss --out $(BENCH_DIR) $(BENCH_FLAGS)

.PHONY: tidy
tidy:
	go mod tidy

.PHONY: help
help:
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

FUZZ_TIME ?= 10s
FUZZ_TARGETS := ./internal/parsefuzz:FuzzParseManifest ./internal/parsefuzz:FuzzParseJSONPath ./internal/parsefuzz:FuzzParseStatusSelector ./mcp/tools:FuzzToolArguments

.PHONY: fuzz
fuzz: ## Run each fuzz test for FUZZ_TIME (default 10s)
	@set -e; for t in $(FUZZ_TARGETS); do \
		echo "fuzz $${t#*:} ($${t%%:*}) for $(FUZZ_TIME)"; \
		go test -run '^$$' -fuzz "^$${t#*:}$$" -fuzztime $(FUZZ_TIME) "$${t%%:*}"; \
	done
