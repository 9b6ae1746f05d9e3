package io.wagate.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Whether whatsmeow has a saved session, read straight from the sidecar's {@code whatsmeow_device} table, so that
 * reconnect can refuse without a sidecar round trip. The sidecar creates that table; until it has, nobody has a
 * session.
 */
@ApplicationScoped
public class SessionRepository {
  private static final String UNDEFINED_TABLE = "42P01";

  private final Pool pool;

  public SessionRepository(Pool pool) {
    this.pool = pool;
  }

  public Uni<Boolean> hasSession(String jid) {
    if (jid == null || jid.isBlank()) {
      return Uni.createFrom().item(false);
    }
    return pool.preparedQuery("SELECT 1 FROM whatsmeow_device WHERE jid = $1").execute(Tuple.of(jid))
        .map(rows -> rows.size() > 0)
        .onFailure(SessionRepository::isUndefinedTable).recoverWithItem(false);
  }

  private static boolean isUndefinedTable(Throwable t) {
    return t instanceof io.vertx.pgclient.PgException pg && UNDEFINED_TABLE.equals(pg.getSqlState());
  }
}
