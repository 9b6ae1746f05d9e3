package io.wagate.repository;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The console's reads of the event log and the webhook outbox, and the redelivery of one stored event. */
@ApplicationScoped
public class DeliveryLogRepository {
  /** One HTTP attempt of a delivery. */
  public record Attempt(int attempt, OffsetDateTime at, Integer httpStatus, Integer latencyMs, String error) {
  }

  /** One outbox row of an instance, newest first, with every attempt oldest first. */
  public record Delivery(long id, long eventId, String event, String state, String label, String url, String status, OffsetDateTime createdAt,
      OffsetDateTime finishedAt, List<Attempt> attempts) {
  }

  /** An enabled webhook as the test event needs it (secrets still encrypted). */
  public record Target(String label, String url, boolean byEvents, String authorizationEnc, String secretEnc) {
  }

  /** One stored event of an instance. */
  public record Entry(long id, String event, JsonObject data, OffsetDateTime at) {
  }

  private static final String DELIVERIES = """
      SELECT d.id, d.event_id, e.event, e.state, w.label, d.url, d.status, d.created_at, d.finished_at,
             a.attempt, a.attempted_at, a.http_status, a.latency_ms, a.error
      FROM (SELECT * FROM webhook_delivery WHERE instance_id = $1 ORDER BY id DESC LIMIT $2) d
      LEFT JOIN instance_event e ON e.id = d.event_id
      LEFT JOIN webhook w ON w.id = d.webhook_id
      LEFT JOIN webhook_attempt a ON a.delivery_id = d.id
      ORDER BY d.id DESC, a.attempt""";

  /*
   * The outbox rows of the append (V10), for one event again: every enabled webhook of the instance whose filter takes
   * the event gets a new pending row behind the rows already queued, so the order per webhook is kept.
   */
  private static final String REDELIVER = """
      INSERT INTO webhook_delivery (webhook_id, instance_id, event_id, url, by_events, authorization_enc, secret_enc, token_enc)
      SELECT w.id, e.instance_id, e.id, w.url, w.by_events, w.authorization_enc, w.secret_enc, i.token_enc
      FROM instance_event e JOIN webhook w ON w.instance_id = e.instance_id LEFT JOIN instance i ON i.id = e.instance_id
      WHERE e.id = $2 AND e.instance_id = $1 AND w.enabled AND w.url IS NOT NULL AND (jsonb_array_length(w.events) = 0 OR w.events ? e.event)
      ORDER BY w.id""";

  private final Pool pool;

  public DeliveryLogRepository(Pool pool) {
    this.pool = pool;
  }

  public Uni<List<Delivery>> deliveries(UUID instanceId, int limit) {
    return pool.preparedQuery(DELIVERIES).execute(Tuple.of(instanceId, limit)).map(rows -> {
      Map<Long, Delivery> out = new LinkedHashMap<>();
      for (Row r : rows) {
        Delivery d = out.computeIfAbsent(r.getLong("id"), id -> new Delivery(id, r.getLong("event_id"), r.getString("event"), r.getString("state"),
            r.getString("label"), r.getString("url"), r.getString("status"), r.getOffsetDateTime("created_at"), r.getOffsetDateTime("finished_at"),
            new ArrayList<>()));
        if (r.getInteger("attempt") != null) {
          d.attempts().add(new Attempt(r.getInteger("attempt"), r.getOffsetDateTime("attempted_at"), r.getInteger("http_status"),
              r.getInteger("latency_ms"), r.getString("error")));
        }
      }
      return List.copyOf(out.values());
    });
  }

  /** The instance's stored events, newest first. */
  public Uni<List<Entry>> events(UUID instanceId, int limit) {
    return pool.preparedQuery("SELECT id, event, data, created_at FROM instance_event WHERE instance_id = $1 ORDER BY id DESC LIMIT $2")
        .execute(Tuple.of(instanceId, limit)).map(rows -> {
          List<Entry> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(new Entry(r.getLong("id"), r.getString("event"), r.getJsonObject("data"), r.getOffsetDateTime("created_at"))));
          return out;
        });
  }

  public Uni<Boolean> eventExists(UUID instanceId, long eventId) {
    return pool.preparedQuery("SELECT 1 FROM instance_event WHERE id = $2 AND instance_id = $1").execute(Tuple.of(instanceId, eventId))
        .map(rows -> rows.size() > 0);
  }

  /** Queues the event again for the instance's matching webhooks; yields the number of rows queued. */
  public Uni<Integer> redeliver(UUID instanceId, long eventId) {
    return pool.preparedQuery(REDELIVER).execute(Tuple.of(instanceId, eventId)).map(rows -> rows.rowCount());
  }

  public Uni<List<Target>> enabledWebhooks(UUID instanceId) {
    return pool.preparedQuery("SELECT label, url, by_events, authorization_enc, secret_enc FROM webhook WHERE instance_id = $1 AND enabled AND url IS NOT NULL"
        + " ORDER BY label").execute(Tuple.of(instanceId)).map(rows -> {
          List<Target> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(new Target(r.getString("label"), r.getString("url"), r.getBoolean("by_events"), r.getString("authorization_enc"),
              r.getString("secret_enc"))));
          return out;
        });
  }
}
