package io.wagate.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagate.DesiredState;
import io.wagate.Instance;
import io.wagate.InstanceState;
import io.wagate.LifecycleEvent;

/** Instance rows through the reactive PostgreSQL client; methods taking a {@link SqlClient} join the caller's transaction. */
@ApplicationScoped
public class InstanceRepository {
  static final String COLUMNS = "id, account_id, name, token_enc, created_at, desired_state, state, event_state, jid, push_name, last_error, since,"
      + " attempts, auto_reject_calls, call_reject_message, ignore_group_messages, keep_online_status, auto_read_messages, disable_history_sync,"
      + " ignore_status, proxy_enabled, proxy_host, proxy_port, proxy_protocol, proxy_username, proxy_password_enc, s3_enabled, s3_region, s3_bucket,"
      + " s3_access_key, s3_secret_key_enc, s3_endpoint, s3_path_prefix";

  private final Pool pool;

  public InstanceRepository(Pool pool) {
    this.pool = pool;
  }

  public Uni<Boolean> nameTaken(SqlClient client, UUID accountId, String name) {
    return client.preparedQuery("SELECT 1 FROM instance WHERE account_id = $1 AND name = $2").execute(Tuple.of(accountId, name)).map(rows -> rows.size() > 0);
  }

  /**
   * The owning account's instance quota, its row locked for the caller's transaction (null: no such account). The lock
   * serialises concurrent creates of one account, so the quota cannot be overshot.
   */
  public Uni<Integer> lockAccountQuota(SqlClient client, UUID accountId) {
    return client.preparedQuery("SELECT instance_quota FROM account WHERE id = $1 FOR UPDATE").execute(Tuple.of(accountId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getInteger(0));
  }

  public Uni<Instance> findById(UUID id) {
    return one(pool, "SELECT " + COLUMNS + " FROM instance WHERE id = $1", Tuple.of(id));
  }

  public Uni<Instance> findByIdForUpdate(SqlClient client, UUID id) {
    return one(client, "SELECT " + COLUMNS + " FROM instance WHERE id = $1 FOR UPDATE", Tuple.of(id));
  }

  /** Locks the rows in id order, so two batches can never wait on each other. */
  public Uni<List<Instance>> findAllForUpdate(SqlClient client, UUID[] ids) {
    return many(client, "SELECT " + COLUMNS + " FROM instance WHERE id = ANY($1) ORDER BY id FOR UPDATE", Tuple.of(ids));
  }

  public Uni<Instance> findByName(UUID accountId, String name) {
    return one(pool, "SELECT " + COLUMNS + " FROM instance WHERE account_id = $1 AND name = $2", Tuple.of(accountId, name));
  }

  public Uni<List<Instance>> listByAccount(UUID accountId) {
    return many(pool, "SELECT " + COLUMNS + " FROM instance WHERE account_id = $1 ORDER BY created_at, name", Tuple.of(accountId));
  }

  /** The named instances of one account (a list filter), without reading the rest of the account. */
  public Uni<List<Instance>> listByNames(UUID accountId, List<String> names) {
    return many(pool, "SELECT " + COLUMNS + " FROM instance WHERE account_id = $1 AND name = ANY($2)", Tuple.of(accountId, names.toArray(String[]::new)));
  }

  public Uni<List<Instance>> listDesiredRunning() {
    return many(pool, "SELECT " + COLUMNS + " FROM instance WHERE desired_state = 'running' AND jid IS NOT NULL ORDER BY id", Tuple.tuple());
  }

  /** Instances whose observed state says a sidecar session exists. */
  public Uni<List<Instance>> listLooksLive() {
    return many(pool, "SELECT " + COLUMNS + " FROM instance WHERE state IN ('connecting', 'connected') ORDER BY id", Tuple.tuple());
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
    Instance.Settings s = i.settings();
    Instance.Proxy p = i.proxy();
    Instance.S3 s3 = i.s3();
    Tuple t = Tuple.from(new Object[] {i.id(), i.accountId(), i.name(), tokenHash, i.tokenEnc(), i.createdAt(), s.autoRejectCalls(), s.callRejectMessage(),
        s.ignoreGroupMessages(), s.keepOnlineStatus(), s.autoReadMessages(), s.disableHistorySync(), s.ignoreStatus(), p.enabled(), p.host(), p.port(),
        p.protocol(), p.username(), p.passwordEnc(), s3.enabled(), s3.region(), s3.bucket(), s3.accessKey(), s3.secretKeyEnc(), s3.endpoint(), s3.pathPrefix()});
    return client.preparedQuery("INSERT INTO instance (id, account_id, name, token_hash, token_enc, created_at, auto_reject_calls, call_reject_message,"
        + " ignore_group_messages, keep_online_status, auto_read_messages, disable_history_sync, ignore_status, proxy_enabled, proxy_host, proxy_port,"
        + " proxy_protocol, proxy_username, proxy_password_enc, s3_enabled, s3_region, s3_bucket, s3_access_key, s3_secret_key_enc, s3_endpoint, s3_path_prefix)"
        + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)")
        .execute(t).replaceWithVoid();
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
    return client.preparedQuery(UPDATE_OBSERVED).execute(observed(i)).replaceWithVoid();
  }

  /** One pipelined round trip for a batch of state changes (the event stream's batches). */
  public Uni<Void> updateObservedAll(SqlClient client, List<Instance> list) {
    return client.preparedQuery(UPDATE_OBSERVED).executeBatch(list.stream().map(InstanceRepository::observed).toList()).replaceWithVoid();
  }

  private static Tuple observed(Instance i) {
    return Tuple.from(new Object[] {i.id(), i.desiredState().wire(), i.state().wire(), i.eventState() == null ? null : i.eventState().wire(), i.jid(), i.pushName(), i.lastError(), i.since(), i.attempts()});
  }

  public Uni<Boolean> delete(UUID id) {
    return pool.preparedQuery("DELETE FROM instance WHERE id = $1").execute(Tuple.of(id)).map(rows -> rows.rowCount() > 0);
  }

  private static Uni<Instance> one(SqlClient client, String sql, Tuple args) {
    return client.preparedQuery(sql).execute(args).map(rows -> rows.size() == 0 ? null : map(rows.iterator().next()));
  }

  private static Uni<List<Instance>> many(SqlClient client, String sql, Tuple args) {
    return client.preparedQuery(sql).execute(args).map(InstanceRepository::mapAll);
  }

  private static List<Instance> mapAll(RowSet<Row> rows) {
    List<Instance> out = new ArrayList<>(rows.size());
    rows.forEach(r -> out.add(map(r)));
    return out;
  }

  /** The database boundary of the state enums: the columns hold their {@code wire()} spelling; anything else is refused. */
  private static LifecycleEvent eventState(String value) {
    return value == null ? null : LifecycleEvent.fromWire(value);
  }

  static Instance map(Row r) {
    return new Instance(r.getUUID("id"), r.getUUID("account_id"), r.getString("name"), r.getString("token_enc"), r.getOffsetDateTime("created_at"),
        DesiredState.fromWire(r.getString("desired_state")), InstanceState.fromWire(r.getString("state")), eventState(r.getString("event_state")),
        r.getString("jid"), r.getString("push_name"),
        r.getString("last_error"), r.getOffsetDateTime("since"), r.getInteger("attempts"),
        new Instance.Settings(r.getBoolean("auto_reject_calls"), r.getString("call_reject_message"), r.getBoolean("ignore_group_messages"),
            r.getBoolean("keep_online_status"), r.getBoolean("auto_read_messages"), r.getBoolean("disable_history_sync"), r.getBoolean("ignore_status")),
        new Instance.Proxy(r.getBoolean("proxy_enabled"), r.getString("proxy_host"), r.getString("proxy_port"), r.getString("proxy_protocol"),
            r.getString("proxy_username"), r.getString("proxy_password_enc")),
        new Instance.S3(r.getBoolean("s3_enabled"), r.getString("s3_region"), r.getString("s3_bucket"), r.getString("s3_access_key"),
            r.getString("s3_secret_key_enc"), r.getString("s3_endpoint"), r.getString("s3_path_prefix")));
  }

}
