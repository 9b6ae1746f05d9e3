// Package testenv gives Go test packages their own throwaway PostgreSQL database on the test cluster named by
// PG_HOST, PG_PORT, PG_USER, PG_PASSWORD and PG_DB.
package testenv

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"regexp"

	_ "github.com/lib/pq" // the database/sql driver for PostgreSQL
)

// DSN builds a DSN for database db from the PG_* variables; PG_PORT must be set (no silent defaults, so a test
// never talks to a database nobody asked for).
func DSN(db string) (string, error) {
	port := os.Getenv("PG_PORT")
	if port == "" {
		return "", errors.New("PG_PORT is not set: these tests need the PostgreSQL test cluster, e.g. " +
			"PG_HOST=127.0.0.1 PG_PORT=55433 PG_USER=app PG_PASSWORD=app PG_DB=app (start it with scripts/pg.sh start .wagate/test-pg 55433)")
	}
	host := envOr("PG_HOST", "127.0.0.1")
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(envOr("PG_USER", "app"), envOr("PG_PASSWORD", "app")),
		Host:     net.JoinHostPort(host, port),
		Path:     "/" + db,
		RawQuery: "sslmode=disable",
	}
	return u.String(), nil
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

var safeName = regexp.MustCompile(`[^a-z0-9_]`)

// CreateDB creates a fresh database (through the app role, which has CREATEDB) and returns its DSN and a
// function that drops it.
func CreateDB(prefix string) (dsn string, drop func(), err error) {
	adminDSN, err := DSN(envOr("PG_DB", "app"))
	if err != nil {
		return "", nil, err
	}
	admin, err := sql.Open("postgres", adminDSN)
	if err != nil {
		return "", nil, err
	}
	suffix := make([]byte, 4)
	_, _ = rand.Read(suffix)
	name := safeName.ReplaceAllString(prefix, "_") + "_" + hex.EncodeToString(suffix)
	if _, err := admin.Exec(`CREATE DATABASE "` + name + `"`); err != nil {
		_ = admin.Close()
		return "", nil, fmt.Errorf("failed to create test database %s: %w", name, err)
	}
	dsn, _ = DSN(name)
	drop = func() {
		_, _ = admin.Exec(`DROP DATABASE IF EXISTS "` + name + `" WITH (FORCE)`)
		_ = admin.Close()
	}
	return dsn, drop, nil
}
