package main

import "context"

// Hooks for operations being written on other branches. Each returns no scenario until its
// operation lands on main; then fill it in here and it is measured at every size, printed and
// written to the JSON like the others. The data is already in place (see data.go).

// treeScenarios will time `kubectl flux-mcp tree ks platform -n bench-00` (an inventory of 2,000
// ConfigMaps that all exist) as a whole process, and its MCP tool's warm call and answer size,
// against the raw cost of what it must read: the Kustomization plus one list of ConfigMaps in
// bench-00 (b.timeFunc with the dynamic client), and against `flux tree ks platform -n bench-00`
// (b.flux), which GETs every inventory entry one by one.
func (b *bench) treeScenarios(_ context.Context, _ int) []*Scenario { return nil }

// traceScenarios will time `kubectl flux-mcp trace` of an object that the platform inventory
// lists (e.g. ConfigMap platform-0042 in bench-00) against `flux trace`, process against process,
// and its MCP tool's warm call and answer size.
func (b *bench) traceScenarios(_ context.Context, _ int) []*Scenario { return nil }

// reconcileScenarios will time `kubectl flux-mcp reconcile ks app-00001 -n bench-01` from the
// request to the reported completion, with internal/testcontroller playing kustomize-controller,
// against `flux reconcile ks` with the same controller; the difference is the watch (ours) against
// polling (flux). Start the controller with b.cluster.Config; stop it before the next size.
func (b *bench) reconcileScenarios(_ context.Context, _ int) []*Scenario { return nil }
