// Package store opens the whatsmeow session store (sqlstore) on PostgreSQL.
package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lib/pq"
	"github.com/rs/zerolog"
	"go.mau.fi/whatsmeow/store/sqlstore"
	waLog "go.mau.fi/whatsmeow/util/log"
)

// pingTimeout bounds the first contact with the database so a wrong host fails start-up quickly.
const pingTimeout = 10 * time.Second

// MaxConns bounds the pool, and keeps that many open between bursts. database/sql's defaults (no limit, 2 idle) let
// a burst of thousands of sessions (a restore after a crash, mass pairing) open a connection per session until
// PostgreSQL refuses more (53300: pairings, prekey uploads and logins then fail), and close all but two afterwards,
// so every burst pays a backend start per query. Waiting for one of these is cheaper than either.
const MaxConns = 32

// Open connects to PostgreSQL and wraps the pool in a sqlstore container. It does not migrate: call Upgrade once,
// from one place, because whatsmeow's migrations take no lock.
func Open(ctx context.Context, dsn string, log zerolog.Logger) (*sqlstore.Container, *sql.DB, error) {
	// whatsmeow uses = ANY($1) instead of long IN lists when it can wrap arrays; pq.Array is the lib/pq way.
	sqlstore.PostgresArrayWrapper = pq.Array
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("failed to open database: %w", err)
	}
	db.SetMaxOpenConns(MaxConns)
	db.SetMaxIdleConns(MaxConns)
	pingCtx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		_ = db.Close()
		return nil, nil, fmt.Errorf("failed to reach database: %w", err)
	}
	container := sqlstore.NewWithDB(db, "postgres", waLog.Zerolog(log.With().Str("component", "sqlstore").Logger()))
	return container, db, nil
}

// migrationLock is the PostgreSQL advisory lock under which sidecars migrate. whatsmeow's upgrades take no lock, and
// even CREATE TABLE IF NOT EXISTS races with itself (23505 on pg_type_typname_nsp_index), so sidecars that start on one
// database at once (make run REPLICAS=3, a rollout) must migrate one after the other: seen with two, one died.
const migrationLock = 7761002

// Migrate runs the steps in order while holding migrationLock, which it waits for.
func Migrate(ctx context.Context, db *sql.DB, steps ...func(context.Context) error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("failed to take the migration lock: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
		return fmt.Errorf("failed to take the migration lock: %w", err)
	}
	// a session lock: released before the connection goes back to the pool (deferred calls run last first)
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLock)
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return nil
}

// Upgrade brings the whatsmeow_* tables to the schema this whatsmeow build expects.
func Upgrade(ctx context.Context, container *sqlstore.Container) error {
	if err := container.Upgrade(ctx); err != nil {
		return fmt.Errorf("failed to upgrade whatsmeow store: %w", err)
	}
	return nil
}
