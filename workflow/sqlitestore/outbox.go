package sqlitestore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/fz59/appeals/workflow"
)

// claimSQL leases due notifications in one statement. The writer runs one transaction at a
// time, so concurrent claims (of this process and, through the file's lock, of others) take
// turns and never take the same row within its lease. The status list matches the partial
// index outbox_claimable.
const claimSQL = `UPDATE outbox SET attempts = attempts + 1, next_attempt = ?
	WHERE pos IN (SELECT pos FROM outbox
		WHERE status IN ('pending', 'uncertain') AND next_attempt <= ?
		ORDER BY created_at, pos LIMIT ?)
	RETURNING created_at, pos, status, attempts, last_error, doc`

// dueSQL finds whether a notification is due, so that a claim with nothing to claim (a
// dispatcher polling) takes no turn of the writer and no lock of the file.
const dueSQL = `SELECT 1 FROM outbox WHERE status IN ('pending', 'uncertain') AND next_attempt <= ? LIMIT 1`

// ClaimNotifications implements workflow.Store. Times compare to the nanosecond; the
// notifications returned carry NextAttempt = now+lease as given.
func (s *Store) ClaimNotifications(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]workflow.Notification, error) {
	if limit <= 0 {
		return nil, nil
	}
	if err := s.open(); err != nil {
		return nil, fmt.Errorf("sqlitestore: claim notifications: %w", err)
	}
	var one int
	switch err := s.st.due.QueryRowContext(ctx, stamp(now)).Scan(&one); {
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("sqlitestore: claim notifications: %w", scrub(err))
	}
	type claimed struct {
		createdAt string
		pos       int64
		n         workflow.Notification
	}
	var out []claimed
	next := now.Add(lease)
	err := s.exec(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		rows, err := tx.Stmt(s.st.claim).Query(stamp(next), stamp(now), limit)
		if err != nil {
			return scrub(err)
		}
		defer rows.Close()
		for rows.Next() {
			var (
				c                 claimed
				status, lastError string
				attempts          int
				doc               sql.RawBytes
			)
			if err := rows.Scan(&c.createdAt, &c.pos, &status, &attempts, &lastError, &doc); err != nil {
				return scrub(err)
			}
			if err := s.docs.unmarshal(doc, &c.n); err != nil {
				return fmt.Errorf("decode: %w", err)
			}
			c.n.Status, c.n.Attempts, c.n.NextAttempt, c.n.LastError = workflow.NotificationStatus(status), attempts, next, lastError
			out = append(out, c)
		}
		return scrub(rows.Err())
	})
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: claim notifications: %w", err)
	}
	// RETURNING yields rows in no promised order: the queue's is oldest first.
	slices.SortFunc(out, func(a, b claimed) int {
		if c := strings.Compare(a.createdAt, b.createdAt); c != 0 {
			return c
		}
		return cmp.Compare(a.pos, b.pos)
	})
	ns := make([]workflow.Notification, len(out))
	for i, c := range out {
		ns[i] = c.n
	}
	return ns, nil
}

// UpdateNotification implements workflow.Store: it stores n's Status, NextAttempt and
// LastError; the other fields stay as queued and claimed.
func (s *Store) UpdateNotification(ctx context.Context, n workflow.Notification) error {
	if err := s.open(); err != nil {
		return fmt.Errorf("sqlitestore: update notification %s: %w", n.ID, err)
	}
	err := s.exec(ctx, func(tx *sql.Tx) error {
		res, err := tx.Stmt(s.st.updateNote).Exec(string(n.Status), stamp(n.NextAttempt), n.LastError, n.ID[:])
		if err != nil {
			return scrub(err)
		}
		k, err := res.RowsAffected()
		switch {
		case err != nil:
			return scrub(err)
		case k == 0:
			return workflow.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlitestore: update notification %s: %w", n.ID, err)
	}
	return nil
}
