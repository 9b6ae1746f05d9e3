package io.wagate.cluster;

import java.time.Duration;
import java.util.List;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * This gateway's row in {@code member}: written at start-up and by every heartbeat (which writes it again if it was
 * removed), deleted at shutdown. A member is live while its heartbeat is younger than the lease time, so a member
 * whose heartbeat stopped is gone at the moment its leases may be taken.
 */
public final class Membership {
  // rows of members gone for this long are removed by the heartbeats of the others: each process has a new id
  private static final long FORGET_AFTER_MS = 3_600_000;

  private final Pool pool;
  private final String id;
  private final String address;
  private final long leaseMillis;

  public Membership(Pool pool, String id, String address, Duration lease) {
    this.pool = pool;
    this.id = id;
    this.address = address;
    this.leaseMillis = lease.toMillis();
  }

  public String id() {
    return id;
  }

  public String address() {
    return address;
  }

  /** Registers this member or refreshes its heartbeat. */
  public Uni<Void> heartbeat() {
    return pool.preparedQuery("WITH gone AS (DELETE FROM member WHERE heartbeat_at < now() - $3 * interval '1 millisecond' AND id <> $1)"
        + " INSERT INTO member (id, address) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET address = excluded.address, heartbeat_at = now()")
        .execute(Tuple.of(id, address, FORGET_AFTER_MS)).replaceWithVoid();
  }

  public Uni<Void> deregister() {
    return pool.preparedQuery("DELETE FROM member WHERE id = $1").execute(Tuple.of(id)).replaceWithVoid();
  }

  /** The ids of the live members, this one included once it has registered. */
  public Uni<List<String>> live() {
    return pool.preparedQuery("SELECT id FROM member WHERE heartbeat_at > now() - $1 * interval '1 millisecond' ORDER BY id")
        .execute(Tuple.of(leaseMillis)).map(rows -> {
          List<String> out = new java.util.ArrayList<>();
          for (Row r : rows) {
            out.add(r.getString(0));
          }
          return out;
        });
  }
}
