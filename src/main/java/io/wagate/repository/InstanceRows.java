package io.wagate.repository;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagate.DesiredState;
import io.wagate.Instance;
import io.wagate.InstanceState;
import io.wagate.LifecycleEvent;

/** The instance table's columns and its row ↔ {@link Instance} mapping, for {@link InstanceRepository}'s queries. */
final class InstanceRows {
  static final String COLUMNS = "id, account_id, name, token_enc, created_at, desired_state, state, event_state, jid, push_name, last_error, since,"
      + " attempts, auto_reject_calls, call_reject_message, ignore_group_messages, keep_online_status, auto_read_messages, disable_history_sync,"
      + " ignore_status, proxy_enabled, proxy_host, proxy_port, proxy_protocol, proxy_username, proxy_password_enc, s3_enabled, s3_region, s3_bucket,"
      + " s3_access_key, s3_secret_key_enc, s3_endpoint, s3_path_prefix";

  private InstanceRows() {
  }

  /** The columns prefixed with a table alias, for joins. */
  static String qualified(String alias) {
    return Arrays.stream(COLUMNS.split(",")).map(c -> alias + "." + c.trim()).collect(Collectors.joining(", "));
  }

  static InstanceRepository.WithSession withSession(Row r) {
    return new InstanceRepository.WithSession(map(r), Boolean.TRUE.equals(r.getBoolean("has_session")));
  }

  static List<InstanceRepository.Listed> listedAll(RowSet<Row> rows) {
    List<InstanceRepository.Listed> out = new ArrayList<>(rows.size());
    rows.forEach(r -> out.add(new InstanceRepository.Listed(map(r), Boolean.TRUE.equals(r.getBoolean("webhook_enabled")), r.getBoolean("ws_enabled"),
        r.getJsonArray("ws_events"), r.getBoolean("ws_media"))));
    return out;
  }

  static List<Instance> mapAll(RowSet<Row> rows) {
    List<Instance> out = new ArrayList<>(rows.size());
    rows.forEach(r -> out.add(map(r)));
    return out;
  }

  static Tuple insert(Instance i, String tokenHash) {
    Instance.Settings s = i.settings();
    Instance.Proxy p = i.proxy();
    Instance.S3 s3 = i.s3();
    return Tuple.from(new Object[] {i.id(), i.accountId(), i.name(), tokenHash, i.tokenEnc(), i.createdAt(), s.autoRejectCalls(), s.callRejectMessage(),
        s.ignoreGroupMessages(), s.keepOnlineStatus(), s.autoReadMessages(), s.disableHistorySync(), s.ignoreStatus(), p.enabled(), p.host(), p.port(),
        p.protocol(), p.username(), p.passwordEnc(), s3.enabled(), s3.region(), s3.bucket(), s3.accessKey(), s3.secretKeyEnc(), s3.endpoint(), s3.pathPrefix()});
  }

  static Tuple observed(Instance i) {
    return Tuple.from(new Object[] {i.id(), i.desiredState().wire(), i.state().wire(), i.eventState() == null ? null : i.eventState().wire(), i.jid(),
        i.pushName(), i.lastError(), i.since(), i.attempts()});
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
