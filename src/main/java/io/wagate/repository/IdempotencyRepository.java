package io.wagate.repository;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The {@code idempotency_key} rows of the send routes (V13). */
@ApplicationScoped
public class IdempotencyRepository {
  /** A key's row as another request found it; {@code status} and {@code body} are set once {@code state} is done. */
  public record Stored(String fingerprint, String state, Integer status, String body) {
  }

  /**
   * Takes the key: a new row, an expired answer, or the same request after a retryable failure or a crash (a running
   * row older than {@code stale}). Every other case leaves the row as it is.
   */
  private static final String CLAIM = """
      INSERT INTO idempotency_key AS k (instance_id, idem_key, fingerprint, message_id, state) VALUES ($1, $2, $3, $4, 'running')
      ON CONFLICT (instance_id, idem_key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, message_id = EXCLUDED.message_id,
        state = 'running', status = NULL, body = NULL, started_at = now(), finished_at = NULL
      WHERE (k.state = 'done' AND k.finished_at < now() - make_interval(secs => $5))
         OR (k.fingerprint = EXCLUDED.fingerprint AND (k.state = 'retry' OR (k.state = 'running' AND k.started_at < now() - make_interval(secs => $6))))
      RETURNING true""";

  /** Stores the answer; the instance's keys older than the retention go in the same statement. */
  private static final String FINISH = """
      WITH gone AS (DELETE FROM idempotency_key WHERE instance_id = $1 AND idem_key <> $2
                    AND coalesce(finished_at, started_at) < now() - make_interval(secs => $5))
      UPDATE idempotency_key SET state = 'done', status = $3, body = $4, finished_at = now() WHERE instance_id = $1 AND idem_key = $2""";

  private final Pool pool;

  public IdempotencyRepository(Pool pool) {
    this.pool = pool;
  }

  /** Whether this request now owns the key (committed before it returns). */
  public Uni<Boolean> claim(UUID instanceId, String key, String fingerprint, String messageId, Duration kept, Duration stale) {
    return pool.preparedQuery(CLAIM).execute(Tuple.of(instanceId, key, fingerprint, messageId, (double) kept.toSeconds(), (double) stale.toSeconds()))
        .map(rows -> rows.size() > 0);
  }

  public Uni<Optional<Stored>> find(UUID instanceId, String key) {
    return pool.preparedQuery("SELECT fingerprint, state, status, body FROM idempotency_key WHERE instance_id = $1 AND idem_key = $2")
        .execute(Tuple.of(instanceId, key)).map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          Row r = rows.iterator().next();
          return Optional.of(new Stored(r.getString(0), r.getString(1), r.getInteger(2), r.getString(3)));
        });
  }

  public Uni<Void> finish(UUID instanceId, String key, int status, String body, Duration kept) {
    return pool.preparedQuery(FINISH).execute(Tuple.of(instanceId, key, status, body, (double) kept.toSeconds())).replaceWithVoid();
  }

  /** A 5xx is not stored: the same request may run again under the same WhatsApp id. */
  public Uni<Void> release(UUID instanceId, String key) {
    return pool.preparedQuery("UPDATE idempotency_key SET state = 'retry' WHERE instance_id = $1 AND idem_key = $2 AND state = 'running'")
        .execute(Tuple.of(instanceId, key)).replaceWithVoid();
  }
}
