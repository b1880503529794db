package pgstore

import (
	"testing"

	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/storetest"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

// TestConformance runs the suite in each of pgx's query modes: the default caches prepared
// statements; the others are what hosts behind a pooler in transaction mode (PgBouncer)
// configure.
func TestConformance(t *testing.T) {
	testDSN(t)
	t.Parallel()
	for _, mode := range []pgx.QueryExecMode{
		pgx.QueryExecModeCacheStatement, pgx.QueryExecModeCacheDescribe, pgx.QueryExecModeDescribeExec,
		pgx.QueryExecModeExec, pgx.QueryExecModeSimpleProtocol,
	} {
		t.Run(mode.String(), func(t *testing.T) {
			storetest.Run(t, func(t *testing.T) workflow.Store {
				pool := poolIn(t, newSchema(t), 16, func(c *pgx.ConnConfig) { c.DefaultQueryExecMode = mode })
				s := New(pool)
				require.NoError(t, s.Migrate(t.Context()))
				return s
			})
		})
	}
}
