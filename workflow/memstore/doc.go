// Package memstore is the in-memory reference implementation of workflow.Store: records,
// their events and the notification outbox kept in maps behind one lock, every record
// copied in and out. It suits tests, examples and small single-process hosts; nothing
// survives the process.
//
//	st := memstore.New(memstore.Options{})
//	eng, err := workflow.New(st, workflow.Options{...})
//	pending := st.Notifications(appealID) // what the outbox holds for one appeal
package memstore
