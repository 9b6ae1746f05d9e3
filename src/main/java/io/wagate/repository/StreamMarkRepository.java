package io.wagate.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The {@code stream_mark} rows: the last stored seq of each sidecar process's event stream. */
@ApplicationScoped
public class StreamMarkRepository {
  private final Pool pool;

  public StreamMarkRepository(Pool pool) {
    this.pool = pool;
  }

  /** Records, inside the batch's transaction, that the boot's stream is stored through {@code seq} (never backwards). */
  public Uni<Void> store(SqlClient tx, String bootId, long seq) {
    return tx.preparedQuery("WITH old AS (DELETE FROM stream_mark WHERE stored_at < now() - interval '1 day' AND boot_id <> $1)"
        + " INSERT INTO stream_mark AS m (boot_id, seq) VALUES ($1, $2)"
        + " ON CONFLICT (boot_id) DO UPDATE SET seq = greatest(m.seq, excluded.seq), stored_at = now()")
        .execute(Tuple.of(bootId, seq)).replaceWithVoid();
  }

  /** The last stored seq of the boot's stream, 0 when none of it is. */
  public Uni<Long> storedThrough(String bootId) {
    return pool.preparedQuery("SELECT seq FROM stream_mark WHERE boot_id = $1").execute(Tuple.of(bootId))
        .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getLong(0) : 0L);
  }
}
