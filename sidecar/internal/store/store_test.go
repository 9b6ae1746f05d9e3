package store

import (
	"context"
	"sync"
	"testing"

	"github.com/rs/zerolog"

	"github.com/wagate/wagate/sidecar/internal/testenv"
)

// A burst of concurrent queries, many more than MaxConns, all succeed and never hold more than MaxConns
// connections: the pool queues them instead of opening one per caller until PostgreSQL refuses.
func TestOpenBoundsThePool(t *testing.T) {
	dsn, drop, err := testenv.CreateDB("store")
	if err != nil {
		t.Fatal(err)
	}
	defer drop()
	_, db, err := Open(context.Background(), dsn, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 4*MaxConns)
	for range 4 * MaxConns {
		wg.Go(func() {
			_, err := db.Exec("SELECT pg_sleep(0.05)")
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	st := db.Stats()
	if st.MaxOpenConnections != MaxConns || st.OpenConnections > MaxConns {
		t.Fatalf("pool limit %d, %d open after the burst; want the limit %d and at most that many open", st.MaxOpenConnections, st.OpenConnections, MaxConns)
	}
	if st.WaitCount == 0 {
		t.Fatalf("no query waited for a connection: the burst of %d did not exceed the bound", 4*MaxConns)
	}
	if st.Idle < MaxConns/2 {
		t.Fatalf("%d idle connections kept after the burst, want the pool kept warm (up to %d)", st.Idle, MaxConns)
	}
}

// Sidecars that start on one fresh database at once all migrate it: without the lock, whatsmeow's upgrade (and the
// inbox's CREATE TABLE IF NOT EXISTS) run concurrently and one of them fails on a duplicate catalog row.
func TestConcurrentMigrationsAllSucceed(t *testing.T) {
	dsn, drop, err := testenv.CreateDB("migrate")
	if err != nil {
		t.Fatal(err)
	}
	defer drop()
	const sidecars = 4
	errs := make(chan error, sidecars)
	var wg sync.WaitGroup
	for range sidecars {
		container, db, err := Open(context.Background(), dsn, zerolog.Nop())
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		wg.Go(func() {
			upgrade := func(ctx context.Context) error { return Upgrade(ctx, container) }
			errs <- Migrate(context.Background(), db, upgrade, NewInbox(db).Ensure)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("a concurrent migration failed: %v", err)
		}
	}
}
