// Package storetest is the conformance suite for workflow.Store adapters, in the manner of
// testing/fstest.TestFS: it owns the contract's executable form (round trips, optimistic
// concurrency, atomic events and outbox, filters, numbering, leases, races), so every adapter,
// ours and the integrators', proves the same promises.
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) workflow.Store { return memstore.New(memstore.Options{}) })
//	}
//
// Optional abilities have suites of their own, which an adapter runs for what it declares it
// has, so that one without them still passes honestly: RunSearch for a workflow.Searcher, with
// CheckEngineSearch for the engine's view of it (Engine.Search through the Searcher gives what
// its scan of List gives). RandomRecord, RandomFilter, RandomWords, CheckFilters and
// CheckSearch serve an adapter's own differential tests, e.g. with small pages.
package storetest
