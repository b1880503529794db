package sqlitestore

import (
	"testing"

	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/storetest"
)

// TestSearch runs the search suite with pages small enough to turn many times: a search reads
// 56 ids and then 7 records at a time.
func TestSearch(t *testing.T) {
	t.Parallel()
	storetest.RunSearch(t, func(t *testing.T) workflow.Store {
		s := newStore(t)
		s.pageSize = 7
		return s
	})
}

func TestEngineSearch(t *testing.T) {
	t.Parallel()
	storetest.CheckEngineSearch(t, newStore(t))
}
