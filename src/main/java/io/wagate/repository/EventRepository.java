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

  /** Inserts one event and announces it (NOTIFY is delivered at commit); returns the event id. */
  public Uni<Long> append(SqlClient client, UUID instanceId, UUID accountId, String instanceName, String state, JsonObject data) {
    return client.preparedQuery("INSERT INTO instance_event (instance_id, account_id, instance_name, state, data) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .execute(Tuple.of(instanceId, accountId, instanceName, state, data))
        .map(rows -> rows.iterator().next().getLong(0))
        .call(id -> client.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(NOTIFY_CHANNEL, Long.toString(id))));
  }
}
