// Package memstore is the in-memory reference implementation of workflow.Store: records,
// their events and the notification outbox kept behind one lock, encoded as compact bytes
// (so that a million stored appeals cost the garbage collector little), every read a fresh
// copy. It suits tests, examples and single-process hosts; nothing survives the process.
//
//	st := memstore.New(memstore.Options{})
//	eng, err := workflow.New(st, workflow.Options{...})
//	pending := st.Notifications(appealID) // what the outbox holds for one appeal
package memstore
