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
build: ## Build the plugin into bin/
	go build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/kubectl-flux_mcp

.PHONY: testbin
testbin: ## Build kube-apiserver, etcd, kubectl and the Flux CRDs into the cache (once per version)
	@hack/testbin/setup.sh all >/dev/null

.PHONY: node
node: ## Install Node.js 22 and the MCP TypeScript SDK and conformance suite into the cache (once per version)
	@hack/node/setup.sh >/dev/null

.PHONY: test
test: testbin node ## Unit tests, integration tests against the real API server, MCP protocol tests
	go vet ./...
	go test -count=1 ./...

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

.PHONY: tidy
tidy:
	go mod tidy

.PHONY: help
help:
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

FUZZ_TIME ?= 10s
FUZZ_TARGETS := ./plugin/kube:FuzzParseManifest ./plugin/kube:FuzzParseJSONPath ./plugin/get:FuzzParseStatusSelector ./mcp/tools:FuzzToolArguments

.PHONY: fuzz
fuzz: ## Run each fuzz test for FUZZ_TIME (default 10s)
	@set -e; for t in $(FUZZ_TARGETS); do \
		echo "fuzz $${t#*:} ($${t%%:*}) for $(FUZZ_TIME)"; \
		go test -run '^$$' -fuzz "^$${t#*:}$$" -fuzztime $(FUZZ_TIME) "$${t%%:*}"; \
	done
