package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/fz59/appeals/workflow"
)

// claimSQL leases due notifications. FOR UPDATE SKIP LOCKED lets several dispatcher
// processes claim at once: each takes rows no other is taking, none waits, and a row whose
// lease another just took no longer passes the re-checked WHERE. The status list matches
// the partial index outbox_claimable.
const claimSQL = `WITH due AS (
	SELECT id FROM outbox
	WHERE status IN ('pending', 'uncertain') AND next_attempt <= $1::text::timestamptz
	ORDER BY created_at, pos
	LIMIT $2
	FOR UPDATE SKIP LOCKED),
upd AS (
	UPDATE outbox o SET attempts = o.attempts + 1, next_attempt = $3::text::timestamptz,
		doc = o.doc || jsonb_build_object('attempts', o.attempts + 1, 'nextAttempt', $3::text)
	FROM due WHERE o.id = due.id
	RETURNING o.created_at, o.pos, o.doc)
SELECT doc FROM upd ORDER BY created_at, pos`

// ClaimNotifications implements workflow.Store in one statement. Times compare at
// PostgreSQL's precision (a microsecond); the notifications returned carry the exact times.
func (s *Store) ClaimNotifications(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]workflow.Notification, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, claimSQL, stamp(now), limit, stamp(now.Add(lease)))
	if err != nil {
		return nil, fmt.Errorf("pgstore: claim notifications: %w", scrub(err))
	}
	defer rows.Close()
	var claimed []workflow.Notification
	for rows.Next() {
		var doc []byte
		if err := rows.Scan(&doc); err != nil {
			return nil, fmt.Errorf("pgstore: claim notifications: %w", scrub(err))
		}
		var n workflow.Notification
		if err := json.Unmarshal(doc, &n); err != nil {
			return nil, fmt.Errorf("pgstore: claim notifications: decode: %w", err)
		}
		claimed = append(claimed, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pgstore: claim notifications: %w", scrub(err))
	}
	return claimed, nil
}

// UpdateNotification implements workflow.Store: it stores n's Status, NextAttempt and
// LastError; the other fields stay as queued and claimed.
func (s *Store) UpdateNotification(ctx context.Context, n workflow.Notification) error {
	tag, err := s.pool.Exec(ctx, `UPDATE outbox SET status = $2, next_attempt = $3::text::timestamptz,
		doc = doc || jsonb_build_object('status', $2::text, 'nextAttempt', $3::text, 'lastError', $4::text)
		WHERE id = $1`, n.ID, string(n.Status), stamp(n.NextAttempt), n.LastError)
	if err != nil {
		return fmt.Errorf("pgstore: update notification: %w", scrub(err))
	}
	if tag.RowsAffected() == 0 {
		return workflow.ErrNotFound
	}
	return nil
}
