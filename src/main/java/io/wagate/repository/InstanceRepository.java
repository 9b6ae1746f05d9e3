package io.wagate.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import io.wagate.DesiredState;
import io.wagate.Instance;

/**
 * The instance table through the reactive PostgreSQL client, the one repository for it: the rows, the reconnect
 * path's read with the saved session (whatsmeow's {@code whatsmeow_device}, created by the sidecar: until it exists
 * nobody has a session) and the list route's read with the integration columns. Methods taking a {@link SqlClient}
 * join the caller's transaction ({@link Transactions}).
 */
@ApplicationScoped
public class InstanceRepository {
  private static final String UNDEFINED_TABLE = "42P01";
  private static final String WITH_SESSION = "SELECT " + InstanceRows.COLUMNS
      + ", EXISTS (SELECT 1 FROM whatsmeow_device d WHERE d.jid = instance.jid) AS has_session FROM instance";
  // one round trip for the list route's hot path: three queries per call cost more than the join
  private static final String LISTED = "SELECT " + InstanceRows.qualified("i")
      + ", w.enabled AS webhook_enabled, ws.enabled AS ws_enabled, ws.events AS ws_events, ws.media_base64 AS ws_media"
      + " FROM instance i LEFT JOIN webhook w ON w.instance_id = i.id AND w.label = 'default'"
      + " LEFT JOIN websocket_config ws ON ws.instance_id = i.id";

  /** An instance row and whether its JID has a saved session. */
  public record WithSession(Instance instance, boolean hasSession) {
    static WithSession without(Instance i) {
      return i == null ? null : new WithSession(i, false);
    }
  }

  /** One list item's data; the WebSocket fields are null when the instance has no WebSocket configuration. */
  public record Listed(Instance instance, boolean webhookEnabled, Boolean websocketEnabled, JsonArray websocketEvents, Boolean websocketMediaBase64) {
  }

  private final Pool pool;

  public InstanceRepository(Pool pool) {
    this.pool = pool;
  }

  public Uni<Boolean> nameTaken(SqlClient client, UUID accountId, String name) {
    return client.preparedQuery("SELECT 1 FROM instance WHERE account_id = $1 AND name = $2").execute(Tuple.of(accountId, name)).map(rows -> rows.size() > 0);
  }

  public Uni<Instance> findById(UUID id) {
    return one(pool, "SELECT " + InstanceRows.COLUMNS + " FROM instance WHERE id = $1", Tuple.of(id));
  }

  /**
   * Locks the row against other writers of its state. FOR NO KEY UPDATE, not FOR UPDATE: an event insert checks its
   * foreign key with FOR KEY SHARE, which FOR UPDATE blocks; an append holding the append lock then waited for a batch
   * that held the row and waited for the append lock (40P01 deadlock). No writer here changes the key.
   */
  public Uni<Instance> findByIdForUpdate(SqlClient client, UUID id) {
    return one(client, "SELECT " + InstanceRows.COLUMNS + " FROM instance WHERE id = $1 FOR NO KEY UPDATE", Tuple.of(id));
  }

  /** Locks the rows in id order, so two batches can never wait on each other (FOR NO KEY UPDATE: see above). */
  public Uni<List<Instance>> findAllForUpdate(SqlClient client, UUID[] ids) {
    return many(client, "SELECT " + InstanceRows.COLUMNS + " FROM instance WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE", Tuple.of(ids));
  }

  public Uni<Instance> findByName(UUID accountId, String name) {
    return one(pool, "SELECT " + InstanceRows.COLUMNS + " FROM instance WHERE account_id = $1 AND name = $2", Tuple.of(accountId, name));
  }

  public Uni<List<Instance>> listByAccount(UUID accountId) {
    return many(pool, "SELECT " + InstanceRows.COLUMNS + " FROM instance WHERE account_id = $1 ORDER BY created_at, name", Tuple.of(accountId));
  }

  public Uni<List<Instance>> listDesiredRunning() {
    return many(pool, "SELECT " + InstanceRows.COLUMNS + " FROM instance WHERE desired_state = 'running' AND jid IS NOT NULL ORDER BY id", Tuple.tuple());
  }

  /** Instances whose observed state says a sidecar session exists. */
  public Uni<List<Instance>> listLooksLive() {
    return many(pool, "SELECT " + InstanceRows.COLUMNS + " FROM instance WHERE state IN ('connecting', 'connected') ORDER BY id", Tuple.tuple());
  }

  /** Instances per observed REST state, for the {@code wagate.instances} gauges. */
  public Uni<java.util.Map<String, Long>> countByState() {
    return pool.query("SELECT state, count(*) FROM instance GROUP BY state").execute().map(rows -> {
      java.util.Map<String, Long> out = new java.util.HashMap<>();
      rows.forEach(r -> out.put(r.getString(0), r.getLong(1)));
      return out;
    });
  }

  public Uni<Long> countByAccount(SqlClient client, UUID accountId) {
    return client.preparedQuery("SELECT count(*) FROM instance WHERE account_id = $1").execute(Tuple.of(accountId))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  public Uni<Boolean> tokenHashInUse(SqlClient client, String tokenHash) {
    return client.preparedQuery("SELECT 1 FROM account WHERE token_hash = $1 UNION ALL SELECT 1 FROM instance WHERE token_hash = $1")
        .execute(Tuple.of(tokenHash)).map(rows -> rows.size() > 0);
  }

  public Uni<Void> insert(SqlClient client, Instance i, String tokenHash) {
    return client.preparedQuery("INSERT INTO instance (id, account_id, name, token_hash, token_enc, created_at, auto_reject_calls, call_reject_message,"
        + " ignore_group_messages, keep_online_status, auto_read_messages, disable_history_sync, ignore_status, proxy_enabled, proxy_host, proxy_port,"
        + " proxy_protocol, proxy_username, proxy_password_enc, s3_enabled, s3_region, s3_bucket, s3_access_key, s3_secret_key_enc, s3_endpoint, s3_path_prefix)"
        + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)")
        .execute(InstanceRows.insert(i, tokenHash)).replaceWithVoid();
  }

  public Uni<Void> updateSettings(UUID id, Instance.Settings s) {
    return pool.preparedQuery("UPDATE instance SET auto_reject_calls = $2, call_reject_message = $3, ignore_group_messages = $4, keep_online_status = $5,"
        + " auto_read_messages = $6, disable_history_sync = $7, ignore_status = $8 WHERE id = $1")
        .execute(Tuple.from(new Object[] {id, s.autoRejectCalls(), s.callRejectMessage(), s.ignoreGroupMessages(), s.keepOnlineStatus(), s.autoReadMessages(),
            s.disableHistorySync(), s.ignoreStatus()}))
        .replaceWithVoid();
  }

  public Uni<Void> updateProxy(UUID id, Instance.Proxy p) {
    return pool.preparedQuery("UPDATE instance SET proxy_enabled = $2, proxy_host = $3, proxy_port = $4, proxy_protocol = $5, proxy_username = $6,"
        + " proxy_password_enc = $7 WHERE id = $1")
        .execute(Tuple.from(new Object[] {id, p.enabled(), p.host(), p.port(), p.protocol(), p.username(), p.passwordEnc()})).replaceWithVoid();
  }

  public Uni<Void> updateS3(UUID id, Instance.S3 s) {
    return pool.preparedQuery("UPDATE instance SET s3_enabled = $2, s3_region = $3, s3_bucket = $4, s3_access_key = $5, s3_secret_key_enc = $6,"
        + " s3_endpoint = $7, s3_path_prefix = $8 WHERE id = $1")
        .execute(Tuple.from(new Object[] {id, s.enabled(), s.region(), s.bucket(), s.accessKey(), s.secretKeyEnc(), s.endpoint(), s.pathPrefix()}))
        .replaceWithVoid();
  }

  public Uni<Void> updateDesired(UUID id, DesiredState desired) {
    return pool.preparedQuery("UPDATE instance SET desired_state = $2 WHERE id = $1").execute(Tuple.of(id, desired.wire())).replaceWithVoid();
  }

  /** Writes the observed state; the caller writes the matching event row in the same transaction. */
  private static final String UPDATE_OBSERVED = "UPDATE instance SET desired_state = $2, state = $3, event_state = $4, jid = $5, push_name = $6,"
      + " last_error = $7, since = $8, attempts = $9 WHERE id = $1";

  public Uni<Void> updateObserved(SqlClient client, Instance i) {
    return client.preparedQuery(UPDATE_OBSERVED).execute(InstanceRows.observed(i)).replaceWithVoid();
  }

  /** One pipelined round trip for a batch of state changes (the event stream's batches). */
  public Uni<Void> updateObservedAll(SqlClient client, List<Instance> list) {
    return client.preparedQuery(UPDATE_OBSERVED).executeBatch(list.stream().map(InstanceRows::observed).toList()).replaceWithVoid();
  }

  public Uni<Boolean> delete(UUID id) {
    return pool.preparedQuery("DELETE FROM instance WHERE id = $1").execute(Tuple.of(id)).map(rows -> rows.rowCount() > 0);
  }

  // the reads with more than the row: whether whatsmeow has a saved session, the list route's integration columns

  /** Whether whatsmeow has a saved session for the JID (false until the sidecar created its table). */
  public Uni<Boolean> hasSession(String jid) {
    if (jid == null || jid.isBlank()) {
      return Uni.createFrom().item(false);
    }
    return pool.preparedQuery("SELECT 1 FROM whatsmeow_device WHERE jid = $1").execute(Tuple.of(jid))
        .map(rows -> rows.size() > 0)
        .onFailure(InstanceRepository::isUndefinedTable).recoverWithItem(false);
  }

  /** The reconnect hot path: the instance and its session in one round trip; null when there is no such instance. */
  public Uni<WithSession> findByNameWithSession(UUID accountId, String name) {
    return withSession(WITH_SESSION + " WHERE account_id = $1 AND name = $2", Tuple.of(accountId, name))
        .onFailure(InstanceRepository::isUndefinedTable).recoverWithUni(() -> findByName(accountId, name).map(WithSession::without));
  }

  public Uni<WithSession> findByIdWithSession(UUID id) {
    return withSession(WITH_SESSION + " WHERE id = $1", Tuple.of(id))
        .onFailure(InstanceRepository::isUndefinedTable).recoverWithUni(() -> findById(id).map(WithSession::without));
  }

  /**
   * Many rows and their sessions in one round trip (the restore after a sidecar restart reads its instances in chunks);
   * missing ids are left out, and before the sidecar has created its table nobody has a session, so nothing is restored.
   */
  public Uni<List<WithSession>> findAllByIdWithSession(UUID[] ids) {
    return pool.preparedQuery(WITH_SESSION + " WHERE id = ANY($1)").execute(Tuple.of((Object) ids))
        .map(rows -> {
          List<WithSession> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(InstanceRows.withSession(r)));
          return out;
        })
        .onFailure(InstanceRepository::isUndefinedTable).recoverWithItem(List.of());
  }

  /** The list route's items of one account, oldest first, with their integration columns in the same round trip. */
  public Uni<List<Listed>> listedByAccount(UUID accountId) {
    return listed(LISTED + " WHERE i.account_id = $1 ORDER BY i.created_at, i.name", Tuple.of(accountId));
  }

  public Uni<List<Listed>> listedByNames(UUID accountId, List<String> names) {
    return listed(LISTED + " WHERE i.account_id = $1 AND i.name = ANY($2)", Tuple.of(accountId, names.toArray(String[]::new)));
  }

  public Uni<List<Listed>> listedById(UUID id) {
    return listed(LISTED + " WHERE i.id = $1", Tuple.of(id));
  }

  private Uni<WithSession> withSession(String sql, Tuple args) {
    return pool.preparedQuery(sql).execute(args).map(rows -> rows.size() == 0 ? null : InstanceRows.withSession(rows.iterator().next()));
  }

  private Uni<List<Listed>> listed(String sql, Tuple args) {
    return pool.preparedQuery(sql).execute(args).map(InstanceRows::listedAll);
  }

  private static boolean isUndefinedTable(Throwable t) {
    return t instanceof PgException pg && UNDEFINED_TABLE.equals(pg.getSqlState());
  }

  private static Uni<Instance> one(SqlClient client, String sql, Tuple args) {
    return client.preparedQuery(sql).execute(args).map(rows -> rows.size() == 0 ? null : InstanceRows.map(rows.iterator().next()));
  }

  private static Uni<List<Instance>> many(SqlClient client, String sql, Tuple args) {
    return client.preparedQuery(sql).execute(args).map(InstanceRows::mapAll);
  }
}
