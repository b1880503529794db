package sqlitestore

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/storetest"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC)

// TestFilterTranslation checks the SQL translation against workflow.Filter.Match, the one
// definition, on random records and filters, with pages small enough to turn several times.
func TestFilterTranslation(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	s.pageSize = 7
	r := rand.New(rand.NewPCG(59, 2026))
	records, filters := 200, 600
	if raceEnabled {
		records, filters = 80, 120
	}
	recs := make([]*workflow.Record, records)
	for i := range recs {
		recs[i] = storetest.RandomRecord(r)
		require.NoError(t, s.Create(t.Context(), workflow.Change{Record: recs[i]}))
	}
	storetest.CheckFilters(t, s, r, recs, filters)
}
