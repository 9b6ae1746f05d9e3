package io.wagate.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads of the {@code instance_event} log for the live fan-out, replays and snapshots, and its retention. */
@ApplicationScoped
public class EventStore {
  private static final String SELECT = "SELECT e.id, e.instance_id, e.account_id, e.instance_name, e.event, e.data, e.created_at, i.token_enc,"
      + " w.enabled AS ws_enabled, w.events AS ws_events FROM instance_event e LEFT JOIN instance i ON i.id = e.instance_id"
      + " LEFT JOIN websocket_config w ON w.instance_id = e.instance_id";

  // snapshots describe the state; a message is never one
  private static final String STATE_ONLY = " AND e.event = 'instance.state'";

  private final Pool pool;

  public EventStore(Pool pool) {
    this.pool = pool;
  }

  public Uni<Long> maxId() {
    return pool.query("SELECT coalesce(max(id), 0) FROM instance_event").execute().map(rows -> rows.iterator().next().getLong(0));
  }

  /** Events with an id above {@code after}, oldest first. */
  public Uni<List<EventRecord>> after(long after, int limit) {
    return pool.preparedQuery(SELECT + " WHERE e.id > $1 ORDER BY e.id LIMIT $2").execute(Tuple.of(after, limit)).map(EventStore::map);
  }

  /** One instance's events in (after, upTo], oldest first. */
  public Uni<List<EventRecord>> range(UUID instanceId, long after, long upTo, int limit) {
    return pool.preparedQuery(SELECT + " WHERE e.instance_id = $1 AND e.id > $2 AND e.id <= $3 ORDER BY e.id LIMIT $4")
        .execute(Tuple.of(instanceId, after, upTo, limit)).map(EventStore::map);
  }

  /** One account's events in (after, upTo], oldest first. */
  public Uni<List<EventRecord>> accountRange(UUID accountId, long after, long upTo, int limit) {
    return pool.preparedQuery(SELECT + " WHERE e.account_id = $1 AND e.id > $2 AND e.id <= $3 ORDER BY e.id LIMIT $4")
        .execute(Tuple.of(accountId, after, upTo, limit)).map(EventStore::map);
  }

  /** The latest {@code instance.state} event of an instance with an id at most {@code upTo}, or null. */
  public Uni<EventRecord> latest(UUID instanceId, long upTo) {
    return pool.preparedQuery(SELECT + " WHERE e.instance_id = $1 AND e.id <= $2" + STATE_ONLY + " ORDER BY e.id DESC LIMIT 1").execute(Tuple.of(instanceId, upTo))
        .map(rows -> {
          List<EventRecord> list = map(rows);
          return list.isEmpty() ? null : list.get(0);
        });
  }

  /** Per instance of an account, its latest {@code instance.state} event with an id at most {@code upTo}. */
  public Uni<List<EventRecord>> latestPerInstance(UUID accountId, long upTo) {
    return pool.preparedQuery("SELECT DISTINCT ON (e.instance_id) " + SELECT.substring("SELECT ".length())
        + " WHERE e.account_id = $1 AND e.id <= $2" + STATE_ONLY + " ORDER BY e.instance_id, e.id DESC").execute(Tuple.of(accountId, upTo)).map(EventStore::map);
  }

  /**
   * Deletes events older than {@code retention} (never one a pending webhook delivery still needs), finished
   * deliveries and message statuses older than that; at most {@code limit} rows of each per call. Returns the number
   * of rows deleted.
   */
  public Uni<Integer> prune(Duration retention, int limit) {
    double seconds = retention.toMillis() / 1000.0;
    return pool.preparedQuery("DELETE FROM instance_event WHERE id IN (SELECT e.id FROM instance_event e WHERE e.created_at < now() - make_interval(secs => $1)"
        + " AND NOT EXISTS (SELECT 1 FROM webhook_delivery d WHERE d.event_id = e.id AND d.status = 'pending') ORDER BY e.id LIMIT $2)")
        .execute(Tuple.of(seconds, limit)).map(RowSet::rowCount)
        .chain(events -> pool.preparedQuery("DELETE FROM webhook_delivery WHERE id IN (SELECT id FROM webhook_delivery WHERE status <> 'pending'"
            + " AND finished_at < now() - make_interval(secs => $1) ORDER BY id LIMIT $2)").execute(Tuple.of(seconds, limit))
            .map(rows -> events + rows.rowCount()))
        // the last status of a message nobody has heard of for the whole retention (its events are gone as well)
        .chain(deleted -> pool.preparedQuery("DELETE FROM message_status WHERE ctid IN (SELECT ctid FROM message_status"
            + " WHERE updated_at < now() - make_interval(secs => $1) LIMIT $2)").execute(Tuple.of(seconds, limit)).map(rows -> deleted + rows.rowCount()));
  }

  private static List<EventRecord> map(RowSet<Row> rows) {
    List<EventRecord> out = new ArrayList<>(rows.size());
    rows.forEach(r -> out.add(new EventRecord(r.getLong("id"), r.getUUID("instance_id"), r.getUUID("account_id"), r.getString("instance_name"),
        r.getString("event"), r.getJsonObject("data"), r.getOffsetDateTime("created_at"), r.getString("token_enc"), r.getBoolean("ws_enabled"),
        r.getJsonArray("ws_events"))));
    return out;
  }
}
