package pgstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrationLock is the advisory lock key that serializes concurrent Migrate calls.
const migrationLock = 0x59f2_0059

// migration is one embedded schema step: migrations/NNNN_name.sql.
type migration struct {
	version int
	name    string
	sql     string
}

// Migrate brings the schema in the connection's search_path up to date: it applies, in order
// and in one transaction, the embedded migrations not yet recorded in pgstore_migrations.
// It is idempotent and safe to call from several processes at once (an advisory lock
// serializes them). The store never migrates implicitly: call it at deploy or startup.
func (s *Store) Migrate(ctx context.Context) error {
	all, err := loadMigrations()
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLock)); err != nil {
			return fmt.Errorf("pgstore: migrate: lock: %w", scrub(err))
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS pgstore_migrations (
			version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return fmt.Errorf("pgstore: migrate: %w", scrub(err))
		}
		rows, err := tx.Query(ctx, `SELECT version FROM pgstore_migrations`)
		if err != nil {
			return fmt.Errorf("pgstore: migrate: %w", scrub(err))
		}
		applied, err := pgx.CollectRows(rows, pgx.RowTo[int])
		if err != nil {
			return fmt.Errorf("pgstore: migrate: %w", scrub(err))
		}
		for _, m := range all {
			if slices.Contains(applied, m.version) {
				continue
			}
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return fmt.Errorf("pgstore: migrate %04d_%s: %w", m.version, m.name, scrub(err))
			}
			if _, err := tx.Exec(ctx, `INSERT INTO pgstore_migrations (version, name) VALUES ($1, $2)`, m.version, m.name); err != nil {
				return fmt.Errorf("pgstore: migrate %04d_%s: %w", m.version, m.name, scrub(err))
			}
		}
		return nil
	})
}

// loadMigrations reads the embedded migrations, ordered by version.
func loadMigrations() ([]migration, error) {
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var all []migration
	for _, f := range files {
		base := strings.TrimSuffix(path.Base(f), ".sql")
		num, name, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("pgstore: migration %s: want NNNN_name.sql", f)
		}
		b, err := migrations.ReadFile(f)
		if err != nil {
			return nil, err
		}
		all = append(all, migration{version: v, name: name, sql: string(b)})
	}
	slices.SortFunc(all, func(a, b migration) int { return a.version - b.version })
	for i := 1; i < len(all); i++ {
		if all[i].version == all[i-1].version {
			return nil, fmt.Errorf("pgstore: two migrations numbered %04d", all[i].version)
		}
	}
	return all, nil
}
