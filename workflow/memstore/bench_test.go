package memstore_test

import (
	"fmt"
	"testing"

	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/memstore"
	"github.com/stretchr/testify/require"
)

// filled returns a store holding n records, every tenth one with Responsible "head-1".
func filled(b *testing.B, n int) (*memstore.Store, *workflow.Record) {
	b.Helper()
	st := memstore.New(memstore.Options{})
	var rec *workflow.Record
	for i := range n {
		rec = newRecord(b, fmt.Sprint("form-", i))
		if i%10 == 0 {
			rec.Appeal.Responsible = "head-1"
		}
		require.NoError(b, st.Create(b.Context(), workflow.Change{Record: rec}))
	}
	return st, rec
}

func BenchmarkGet(b *testing.B) {
	st, rec := filled(b, 1000)
	for b.Loop() {
		if _, err := st.Get(b.Context(), rec.Appeal.ID); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSave(b *testing.B) {
	st, rec := filled(b, 1000)
	events := []workflow.Event{{AppealID: rec.Appeal.ID, Command: "edit", Changed: []string{"summary"}}}
	for b.Loop() {
		if err := st.Save(b.Context(), workflow.Change{Record: rec, Events: events}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkList lists the 100 matches among 1000 records.
func BenchmarkList(b *testing.B) {
	st, _ := filled(b, 1000)
	for b.Loop() {
		n := 0
		for _, err := range st.List(b.Context(), workflow.Filter{Person: "head-1"}) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 100 {
			b.Fatalf("listed %d, want 100", n)
		}
	}
}
