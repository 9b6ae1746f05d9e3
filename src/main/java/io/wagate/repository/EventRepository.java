package io.wagate.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The append-only {@code instance_event} log. */
@ApplicationScoped
public class EventRepository {
  /** Channel on which every committed event id is announced to all replicas. */
  public static final String NOTIFY_CHANNEL = "wagate_events";
  /** The only event name produced today (docs/API.md, section 3.1). */
  public static final String EVENT_INSTANCE_STATE = "instance.state";

  /**
   * Inserts one event, its webhook outbox rows and the NOTIFY (delivered at commit) through {@code wagate_append_event}
   * (V10), which serialises appends so that ids become visible in id order; returns the event id.
   */
  public Uni<Long> append(SqlClient client, UUID instanceId, UUID accountId, String instanceName, String state, JsonObject data) {
    return client.preparedQuery("SELECT wagate_append_event($1, $2, $3, $4, $5, $6)")
        .execute(Tuple.from(new Object[] {instanceId, accountId, instanceName, EVENT_INSTANCE_STATE, state, data}))
        .map(rows -> rows.iterator().next().getLong(0));
  }
}
