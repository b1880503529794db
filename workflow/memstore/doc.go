// Package memstore is the in-memory reference implementation of workflow.Store: records,
// their events and the notification outbox kept behind one lock, encoded as compact bytes
// (so that a million stored appeals cost the garbage collector little), every read a fresh
// copy. It suits tests, examples and single-process hosts; nothing survives the process.
//
//	st := memstore.New(memstore.Options{})
//	eng, err := workflow.New(st, workflow.Options{...})
//	pending := st.Notifications(appealID) // what the outbox holds for one appeal
//
// # Search
//
// The store is a workflow.Searcher. It keeps an inverted index of the records' words
// (workflow.Index.Words, textnorm's tokens, taken as they are, byte for byte): for each word
// the ascending ordinals of the records that hold it, four bytes each, updated on every write
// — a Create adds its record to its words' lists, a Save that changes the words moves the
// record from the lists of the words it removes to those of the words it adds, and one that
// keeps them (most do) touches nothing. A list holds exactly the records that hold its word
// now and shrinks when they leave; an empty one is dropped. A search intersects the lists of
// its words from the shortest, so its cost is bounded by the rarest word, then checks the
// filter (workflow.Filter.Match) on what is left and yields in id order, as List does.
package memstore
