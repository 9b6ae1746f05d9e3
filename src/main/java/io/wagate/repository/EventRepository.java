package io.wagate.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The append-only {@code instance_event} log. */
@ApplicationScoped
public class EventRepository {
  /** Channel on which every committed event id is announced to all replicas. */
  public static final String NOTIFY_CHANNEL = "wagate_events";
  /** The only event name produced today (API.md §3.1). */
  public static final String EVENT_INSTANCE_STATE = "instance.state";

  /**
   * Inserts one event, its webhook outbox rows and the NOTIFY (delivered at commit) through {@code wagate_append_event}
   * (V10), which serialises appends so that ids become visible in id order; returns the event id.
   */
  public Uni<Long> append(SqlClient client, UUID instanceId, UUID accountId, String instanceName, String state, JsonObject data) {
    return client.preparedQuery(APPEND).execute(new Append(instanceId, accountId, instanceName, state, data).tuple())
        .map(rows -> rows.iterator().next().getLong(0));
  }

  private static final String APPEND = "SELECT wagate_append_event($1, $2, $3, $4, $5, $6)";

  /** One event of a batch. */
  public record Append(UUID instanceId, UUID accountId, String instanceName, String state, JsonObject data) {
    Tuple tuple() {
      return Tuple.from(new Object[] {instanceId, accountId, instanceName, EVENT_INSTANCE_STATE, state, data});
    }
  }

  /** Appends in list order in one pipelined round trip; yields the ids in the same order. */
  public Uni<List<Long>> appendAll(SqlClient client, List<Append> batch) {
    return client.preparedQuery(APPEND).executeBatch(batch.stream().map(Append::tuple).toList()).map(first -> {
      List<Long> ids = new ArrayList<>(batch.size());
      for (RowSet<Row> rows = first; rows != null; rows = rows.next()) {
        ids.add(rows.iterator().next().getLong(0));
      }
      return ids;
    });
  }
}
