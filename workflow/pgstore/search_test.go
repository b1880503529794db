package pgstore

import (
	"testing"

	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/storetest"
)

// TestSearch runs the search suite with pages small enough to turn many times.
func TestSearch(t *testing.T) {
	testDSN(t)
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
