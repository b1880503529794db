package sqlitestore

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// Backup writes a consistent copy of the store to the file at path while the store stays in
// use: VACUUM INTO reads one snapshot (writes go on meanwhile and are not in the copy) into a
// new file beside path, which is synced and then renamed to path, replacing an older copy
// only once the new one is whole. The copy is a compact SQLite file that Open takes as it is;
// it is readable by its owner only.
func (s *Store) Backup(ctx context.Context, path string) (err error) {
	if err := s.open(); err != nil {
		return fmt.Errorf("sqlitestore: backup: %w", err)
	}
	defer func() {
		if err != nil {
			err = fmt.Errorf("sqlitestore: backup: %w", err)
		}
	}()
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp") // mode 0600
	if err != nil {
		return err
	}
	name := tmp.Name()
	defer os.Remove(name) // a no-op once renamed
	if err := tmp.Close(); err != nil {
		return err
	}
	// VACUUM INTO writes into an empty file; it needs a connection that may write (the
	// readers are query_only), but takes only a read snapshot of the store's file.
	db, err := openDB(s.path, s.busy, 1, false)
	if err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, name); err != nil {
		db.Close()
		return scrub(err)
	}
	if err := db.Close(); err != nil {
		return scrub(err)
	}
	// SQLite does not sync the file VACUUM INTO wrote.
	if err := syncFile(name); err != nil {
		return err
	}
	if err := os.Rename(name, path); err != nil {
		return err
	}
	if runtime.GOOS == "windows" { // NTFS has no directory sync; the rename is journaled
		return nil
	}
	return syncFile(dir)
}

// syncFile flushes a file or a directory to stable storage.
func syncFile(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
