package pgstore

import (
	"context"
	"crypto/rand"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
)

// dsnVar names the environment variable with the test server's DSN.
const dsnVar = "APPEALS_PG_DSN"

// testDSN returns the test server's DSN, or skips t when there is none.
func testDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(dsnVar)
	if dsn == "" {
		t.Skip("set APPEALS_PG_DSN=postgres://… to run pgstore tests; .ci/run starts a server")
	}
	return dsn
}

// newSchema creates an empty schema of its own for t, dropped when t ends, and returns its
// name, so tests run in parallel with each other and with other packages' tests.
func newSchema(t testing.TB) string {
	t.Helper()
	dsn := testDSN(t)
	schema := "pgstore_test_" + rand.Text()[:12]
	admin, err := pgx.Connect(t.Context(), dsn)
	require.NoError(t, err)
	defer admin.Close(context.Background())
	_, err = admin.Exec(t.Context(), "CREATE SCHEMA "+schema)
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx := context.Background()
		admin, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer admin.Close(ctx)
		if _, err := admin.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return schema
}

// poolIn opens a pool of up to conns connections whose search_path is schema, closed when t
// ends; opts adjust the connections' configuration.
func poolIn(t testing.TB, schema string, conns int32, opts ...func(*pgx.ConnConfig)) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(testDSN(t))
	require.NoError(t, err)
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	cfg.MaxConns = conns
	for _, o := range opts {
		o(cfg.ConnConfig)
	}
	pool, err := pgxpool.NewWithConfig(t.Context(), cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	return pool
}

// newStore returns a migrated store in a fresh schema of its own.
func newStore(t testing.TB) *Store {
	t.Helper()
	s := New(poolIn(t, newSchema(t), 16))
	require.NoError(t, s.Migrate(t.Context()))
	return s
}
