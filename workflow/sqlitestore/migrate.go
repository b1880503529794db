package sqlitestore

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
)

// The embedded migrations, one file each under migrations/.
var (
	//go:embed migrations/0001_init.sql
	migration0001 string
	//go:embed migrations/0002_cbor.sql
	migration0002 string
)

// migrations are the schema's steps in order: migrations[i] takes the file from schema
// version i to i+1. The version lives in the file's header (PRAGMA user_version), written in
// the same transaction as the step.
var migrations = []string{migration0001, migration0002}

// migrate brings the file's schema up to date: in one IMMEDIATE transaction (which serializes
// processes opening the file at once) it applies the migrations after the file's version. A
// file of a version this code does not know was written by a newer version of the package
// and is refused.
func migrate(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlitestore: migrate: %w", scrub(err))
	}
	defer tx.Rollback()
	var version int
	if err := tx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return fmt.Errorf("sqlitestore: migrate: %w", scrub(err))
	}
	if version > len(migrations) {
		return fmt.Errorf("sqlitestore: migrate: the file's schema version is %d, this package knows %d: it was written by a newer version", version, len(migrations))
	}
	if version == len(migrations) {
		return nil
	}
	for v := version; v < len(migrations); v++ {
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			return fmt.Errorf("sqlitestore: migrate to version %d: %w", v+1, scrub(err))
		}
	}
	// PRAGMA takes no parameters; the number is ours.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, len(migrations))); err != nil {
		return fmt.Errorf("sqlitestore: migrate: %w", scrub(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlitestore: migrate: %w", scrub(err))
	}
	return nil
}
