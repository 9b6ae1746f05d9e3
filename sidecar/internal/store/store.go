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

// Upgrade brings the whatsmeow_* tables to the schema this whatsmeow build expects.
func Upgrade(ctx context.Context, container *sqlstore.Container) error {
	if err := container.Upgrade(ctx); err != nil {
		return fmt.Errorf("failed to upgrade whatsmeow store: %w", err)
	}
	return nil
}
