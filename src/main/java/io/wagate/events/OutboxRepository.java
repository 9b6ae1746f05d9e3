package io.wagate.events;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The {@code webhook_delivery} outbox. Work is handed out per webhook: a replica claims the due head (oldest pending
 * row) of a webhook with {@code FOR UPDATE SKIP LOCKED} and leases it together with the rows queued behind it. A
 * webhook whose head is leased is skipped by everyone else, so each webhook has at most one delivery in flight across
 * all replicas, and its rows go out in id order. A crashed replica's lease runs out, or is taken over at
 * once by the replica's next process (see {@link #takeOver}).
 */
@ApplicationScoped
public class OutboxRepository {
  private static final String CLAIM = """
      WITH RECURSIVE hooks AS (
        (SELECT webhook_id FROM webhook_delivery WHERE status = 'pending' ORDER BY webhook_id LIMIT 1)
        UNION ALL
        SELECT (SELECT d.webhook_id FROM webhook_delivery d WHERE d.status = 'pending' AND d.webhook_id > hooks.webhook_id ORDER BY d.webhook_id LIMIT 1)
        FROM hooks WHERE hooks.webhook_id IS NOT NULL
      ), heads AS (
        SELECT (SELECT min(d.id) FROM webhook_delivery d WHERE d.status = 'pending' AND d.webhook_id = hooks.webhook_id) AS id
        FROM hooks WHERE hooks.webhook_id IS NOT NULL AND NOT hooks.webhook_id = ANY($5::bigint[])
      ), picked AS (
        SELECT d.id, d.webhook_id FROM webhook_delivery d
        WHERE d.id IN (SELECT id FROM heads) AND d.status = 'pending' AND d.next_attempt_at <= now()
          AND (d.leased_until IS NULL OR d.leased_until < now())
        ORDER BY d.next_attempt_at, d.id LIMIT $1 FOR UPDATE SKIP LOCKED
      ), batch AS (
        SELECT x.id FROM picked p
        CROSS JOIN LATERAL (SELECT id FROM webhook_delivery WHERE webhook_id = p.webhook_id AND status = 'pending' ORDER BY id LIMIT $2) x
      ), claimed AS (
        UPDATE webhook_delivery d SET leased_until = now() + make_interval(secs => $3), lease_owner = $4
        FROM batch WHERE d.id = batch.id
        RETURNING d.id, d.webhook_id, d.event_id, d.url, d.by_events, d.authorization_enc, d.secret_enc, d.token_enc, d.attempts, d.created_at
      )
      SELECT c.*, e.instance_id, e.account_id, e.instance_name, e.event, e.data, e.created_at AS event_created_at
      FROM claimed c LEFT JOIN instance_event e ON e.id = c.event_id
      ORDER BY c.webhook_id, c.id""";

  private final Pool pool;

  public OutboxRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Claims up to {@code webhooks} webhooks with up to {@code batch} rows each; rows come grouped by webhook, in id order.
   * {@code working} are the webhooks this process is still sending: never claimed again even if their lease ran out
   * meanwhile (a blocked event loop can outlast it), since a second worker would re-send rows whose ack is not stored yet.
   */
  public Uni<List<Delivery>> claim(String owner, int webhooks, int batch, long leaseMillis, Long[] working) {
    return pool.preparedQuery(CLAIM).execute(Tuple.of(webhooks, batch, leaseMillis / 1000.0, owner, working)).map(rows -> {
      List<Delivery> out = new ArrayList<>(rows.size());
      for (Row r : rows) {
        EventRecord event = r.getValue("instance_id") == null ? null
            : new EventRecord(r.getLong("event_id"), r.getUUID("instance_id"), r.getUUID("account_id"), r.getString("instance_name"), r.getString("event"),
                r.getJsonObject("data"), r.getOffsetDateTime("event_created_at"), r.getString("token_enc"), null, null);
        out.add(new Delivery(r.getLong("id"), r.getLong("webhook_id"), r.getString("url"), r.getBoolean("by_events"), r.getString("authorization_enc"),
            r.getString("secret_enc"), r.getInteger("attempts"), r.getOffsetDateTime("created_at"), event));
      }
      return out;
    });
  }

  /**
   * Marks delivered rows in one statement (ids, HTTP statuses and attempt timings, index by index) and logs each
   * attempt in {@code webhook_attempt}.
   */
  public Uni<Void> delivered(List<Long> ids, List<Integer> statuses, List<Attempt> attempts, String owner) {
    return pool.preparedQuery("WITH u AS (SELECT * FROM unnest($1::bigint[], $2::int[], $4::bigint[], $5::int[]) AS u(id, status, at, latency)),"
        + " d AS (UPDATE webhook_delivery d SET status = 'delivered', attempts = attempts + 1, last_status = u.status, last_error = NULL,"
        + " finished_at = now(), leased_until = NULL FROM u WHERE d.id = u.id AND d.lease_owner = $3 AND d.status = 'pending' RETURNING d.id, d.attempts)"
        + ATTEMPT_INSERT + " SELECT d.id, d.attempts, to_timestamp(u.at / 1000.0), u.status, u.latency, NULL FROM d JOIN u ON u.id = d.id")
        .execute(Tuple.of(ids.toArray(Long[]::new), statuses.toArray(Integer[]::new), owner,
            attempts.stream().map(Attempt::startedMillis).toArray(Long[]::new), attempts.stream().map(Attempt::latencyMillis).toArray(Integer[]::new)))
        .replaceWithVoid();
  }

  /** A final failure: {@code rejected} (a 4xx that retrying cannot fix, or a refused target) or {@code dead} (too old). */
  public Uni<Void> finish(long id, String owner, String outcome, int status, String error, Attempt attempt) {
    return pool.preparedQuery("WITH d AS (UPDATE webhook_delivery SET status = $3, attempts = attempts + 1, last_status = $4, last_error = $5,"
        + " finished_at = now(), leased_until = NULL WHERE id = $1 AND lease_owner = $2 AND status = 'pending' RETURNING id, attempts)"
        + ATTEMPT_INSERT + " SELECT d.id, d.attempts, coalesce(to_timestamp($6 / 1000.0), now()), $4, $7, $5 FROM d")
        .execute(Tuple.from(new Object[] {id, owner, outcome, status == 0 ? null : status, error, attempt.startedMillis(), attempt.latencyMillis()}))
        .replaceWithVoid();
  }

  /** A failed attempt to be retried after {@code delayMillis}; the webhook's lease is given up. */
  public Uni<Void> retry(long id, long webhookId, String owner, long delayMillis, int status, String error, Attempt attempt) {
    return pool.preparedQuery("WITH d AS (UPDATE webhook_delivery SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $3),"
        + " last_status = $4, last_error = $5 WHERE id = $1 AND lease_owner = $2 AND status = 'pending' RETURNING id, attempts)"
        + ATTEMPT_INSERT + " SELECT d.id, d.attempts, coalesce(to_timestamp($6 / 1000.0), now()), $4, $7, $5 FROM d")
        .execute(Tuple.from(new Object[] {id, owner, delayMillis / 1000.0, status == 0 ? null : status, error, attempt.startedMillis(), attempt.latencyMillis()}))
        .chain(() -> release(webhookId, owner));
  }

  /** When an attempt started (epoch ms) and how long its HTTP exchange took; both null when no request was made. */
  public record Attempt(Long startedMillis, Integer latencyMillis) {
    static final Attempt NONE = new Attempt(null, null);
  }

  private static final String ATTEMPT_INSERT = " INSERT INTO webhook_attempt (delivery_id, attempt, attempted_at, http_status, latency_ms, error)";

  /** Gives up this replica's lease on a webhook's remaining rows. */
  public Uni<Void> release(long webhookId, String owner) {
    return pool.preparedQuery("UPDATE webhook_delivery SET leased_until = NULL, lease_owner = NULL WHERE webhook_id = $1 AND lease_owner = $2"
        + " AND status = 'pending'").execute(Tuple.of(webhookId, owner)).replaceWithVoid();
  }

  /**
   * Makes the leases of earlier processes of {@code replica} (owners {@code <replica>/<boot>}) claimable again, once a
   * session advisory lock on the replica's name is taken on {@code held}: the caller keeps that connection for its life,
   * so only one live process per replica holds the lock, and a process of the same replica that is still alive is never
   * robbed. Yields the rows released, or -1 when another live process holds the replica's lock.
   */
  public Uni<Integer> takeOver(SqlConnection held, String replica, String owner) {
    return held.preparedQuery("SELECT pg_try_advisory_lock(7761002, hashtext($1))").execute(Tuple.of(replica))
        .chain(rows -> !rows.iterator().next().getBoolean(0) ? Uni.createFrom().item(-1)
            : pool.preparedQuery("UPDATE webhook_delivery SET leased_until = NULL, lease_owner = NULL WHERE status = 'pending'"
                + " AND starts_with(lease_owner, $1 || '/') AND lease_owner <> $2").execute(Tuple.of(replica, owner)).map(r -> r.rowCount()));
  }

  /** A connection of its own for the start-up takeover, which holds its session-level advisory lock for the process's life. */
  public Uni<SqlConnection> dedicatedConnection() {
    return pool.getConnection();
  }

  /** Rows per status, for the metrics gauges. */
  public Uni<Long> oldestPendingAgeSeconds() {
    return pool.query("SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)::bigint FROM webhook_delivery WHERE status = 'pending'").execute()
        .map(rows -> rows.iterator().next().getLong(0));
  }

  public Uni<java.util.Map<String, Long>> countByStatus() {
    return pool.query("SELECT status, count(*) FROM webhook_delivery GROUP BY status").execute().map(rows -> {
      java.util.Map<String, Long> out = new java.util.HashMap<>();
      rows.forEach(r -> out.put(r.getString(0), r.getLong(1)));
      return out;
    });
  }
}
