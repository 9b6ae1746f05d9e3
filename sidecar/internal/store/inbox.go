package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/lib/pq"
)

// Inbox is the sidecar's durable record of what WhatsApp delivered: every inbound message and receipt is committed
// here before whatsmeow acknowledges it to the server, and stays until the gateway confirms it stored the event.
// A row is the marshalled sidecarv1.Event; (instance_id, dedupe_key) names the WhatsApp stanza, so a re-delivery
// of one that is still here adds nothing.
type Inbox struct{ db *sql.DB }

// InboxRow is one unconfirmed event.
type InboxRow struct {
	ID    int64
	Event []byte
}

// NewInbox wraps the sidecar's pool; call Ensure once before use.
func NewInbox(db *sql.DB) *Inbox { return &Inbox{db: db} }

// Ensure creates the inbox table; run it under Migrate, since concurrent CREATE TABLE IF NOT EXISTS can fail.
func (in *Inbox) Ensure(ctx context.Context) error {
	_, err := in.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS wagate_sidecar_inbox (
    id          bigserial PRIMARY KEY,
    instance_id text        NOT NULL,
    dedupe_key  text        NOT NULL,
    event       bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (instance_id, dedupe_key)
)`)
	if err != nil {
		return fmt.Errorf("failed to create the inbox table: %w", err)
	}
	return nil
}

// Put commits one event. inserted is false when the same stanza is already waiting (a re-delivery after a crash
// between this commit and the ack): the waiting row is published again on the next Connect, so the caller
// publishes nothing new.
func (in *Inbox) Put(ctx context.Context, instance, key string, event []byte) (id int64, inserted bool, err error) {
	err = in.db.QueryRowContext(ctx, `INSERT INTO wagate_sidecar_inbox (instance_id, dedupe_key, event) VALUES ($1, $2, $3)
ON CONFLICT (instance_id, dedupe_key) DO NOTHING RETURNING id`, instance, key, event).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("failed to store inbound event: %w", err)
	}
	return id, true, nil
}

// Pending returns the instance's unconfirmed events in the order they were received.
func (in *Inbox) Pending(ctx context.Context, instance string) ([]InboxRow, error) {
	rows, err := in.db.QueryContext(ctx, `SELECT id, event FROM wagate_sidecar_inbox WHERE instance_id = $1 ORDER BY id`, instance)
	if err != nil {
		return nil, fmt.Errorf("failed to read the inbox: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var out []InboxRow
	for rows.Next() {
		var r InboxRow
		if err := rows.Scan(&r.ID, &r.Event); err != nil {
			return nil, fmt.Errorf("failed to read the inbox: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Confirm deletes events the gateway has stored.
func (in *Inbox) Confirm(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := in.db.ExecContext(ctx, `DELETE FROM wagate_sidecar_inbox WHERE id = ANY($1)`, pq.Array(ids)); err != nil {
		return fmt.Errorf("failed to confirm inbox events: %w", err)
	}
	return nil
}
