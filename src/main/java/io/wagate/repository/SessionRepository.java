package io.wagate.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagate.Instance;

/**
 * Whether whatsmeow has a saved session, read straight from the sidecar's {@code whatsmeow_device} table, so that
 * reconnect can refuse without a sidecar round trip. The sidecar creates that table; until it has, nobody has a
 * session.
 */
@ApplicationScoped
public class SessionRepository {
  private static final String UNDEFINED_TABLE = "42P01";
  private static final String WITH_SESSION = "SELECT " + InstanceRepository.COLUMNS
      + ", EXISTS (SELECT 1 FROM whatsmeow_device d WHERE d.jid = instance.jid) AS has_session FROM instance";

  /** An instance row and whether its JID has a saved session. */
  public record WithSession(Instance instance, boolean hasSession) {
  }

  private final Pool pool;
  private final InstanceRepository instances;

  public SessionRepository(Pool pool, InstanceRepository instances) {
    this.pool = pool;
    this.instances = instances;
  }

  public Uni<Boolean> hasSession(String jid) {
    if (jid == null || jid.isBlank()) {
      return Uni.createFrom().item(false);
    }
    return pool.preparedQuery("SELECT 1 FROM whatsmeow_device WHERE jid = $1").execute(Tuple.of(jid))
        .map(rows -> rows.size() > 0)
        .onFailure(SessionRepository::isUndefinedTable).recoverWithItem(false);
  }

  /** The reconnect hot path: the instance and its session in one round trip; null when there is no such instance. */
  public Uni<WithSession> findByName(UUID accountId, String name) {
    return withSession(WITH_SESSION + " WHERE account_id = $1 AND name = $2", Tuple.of(accountId, name))
        .onFailure(SessionRepository::isUndefinedTable).recoverWithUni(() -> instances.findByName(accountId, name).map(SessionRepository::noSession));
  }

  public Uni<WithSession> findById(UUID id) {
    return withSession(WITH_SESSION + " WHERE id = $1", Tuple.of(id))
        .onFailure(SessionRepository::isUndefinedTable).recoverWithUni(() -> instances.findById(id).map(SessionRepository::noSession));
  }

  /**
   * Many rows and their sessions in one round trip (the restore after a sidecar restart reads its instances in chunks);
   * missing ids are left out, and before the sidecar has created its table nobody has a session, so nothing is restored.
   */
  public Uni<List<WithSession>> findAllById(UUID[] ids) {
    return pool.preparedQuery(WITH_SESSION + " WHERE id = ANY($1)").execute(Tuple.of((Object) ids))
        .map(rows -> {
          List<WithSession> out = new ArrayList<>(rows.size());
          rows.forEach(row -> out.add(new WithSession(InstanceRepository.map(row), Boolean.TRUE.equals(row.getBoolean("has_session")))));
          return out;
        })
        .onFailure(SessionRepository::isUndefinedTable).recoverWithItem(List.of());
  }

  private Uni<WithSession> withSession(String sql, Tuple args) {
    return pool.preparedQuery(sql).execute(args).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      var row = rows.iterator().next();
      return new WithSession(InstanceRepository.map(row), Boolean.TRUE.equals(row.getBoolean("has_session")));
    });
  }

  private static WithSession noSession(Instance i) {
    return i == null ? null : new WithSession(i, false);
  }

  private static boolean isUndefinedTable(Throwable t) {
    return t instanceof io.vertx.pgclient.PgException pg && UNDEFINED_TABLE.equals(pg.getSqlState());
  }
}
