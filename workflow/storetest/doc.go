// Package storetest is the conformance suite for workflow.Store adapters, in the manner of
// testing/fstest.TestFS: it owns the contract's executable form (round trips, optimistic
// concurrency, atomic events and outbox, filters, numbering, leases, races), so every adapter,
// ours and the integrators', proves the same promises.
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) workflow.Store { return memstore.New(memstore.Options{}) })
//	}
package storetest
