package io.wagate.repository;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The {@code webhook} and {@code websocket_config} tables, the one repository that reads and writes them: the create
 * route's inline blocks, the Events module routes, the instance list and the WebSocket upgrade check.
 */
@ApplicationScoped
public class IntegrationRepository {
  /** A webhook row (secrets stay encrypted). */
  public record Webhook(String label, boolean enabled, String url, String authorizationEnc, boolean byEvents, List<String> events, boolean mediaBase64) {
  }

  private final Pool pool;

  public IntegrationRepository(Pool pool) {
    this.pool = pool;
  }

  public Uni<Void> upsertWebhook(SqlClient client, UUID instanceId, String label, boolean enabled, String url, String authorizationEnc, boolean byEvents,
      List<String> events, boolean mediaBase64) {
    return client.preparedQuery("INSERT INTO webhook (instance_id, label, enabled, url, authorization_enc, by_events, events, media_base64)"
        + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (instance_id, label) DO UPDATE SET enabled = EXCLUDED.enabled, url = EXCLUDED.url,"
        + " authorization_enc = EXCLUDED.authorization_enc, by_events = EXCLUDED.by_events, events = EXCLUDED.events,"
        + " media_base64 = EXCLUDED.media_base64, updated_at = now()")
        .execute(Tuple.from(new Object[] {instanceId, label, enabled, url, authorizationEnc, byEvents, new JsonArray(List.copyOf(events)), mediaBase64}))
        .replaceWithVoid();
  }

  /** Per instance: the WebSocket configuration as {@code {enabled, events, mediaBase64}}. */
  public Uni<Map<UUID, JsonObject>> websocketConfigs(List<UUID> ids) {
    return pool.preparedQuery("SELECT instance_id, enabled, events, media_base64 FROM websocket_config WHERE instance_id = ANY($1)")
        .execute(Tuple.of(ids.toArray(UUID[]::new))).map(rows -> {
          Map<UUID, JsonObject> out = new HashMap<>();
          rows.forEach(r -> out.put(r.getUUID("instance_id"), new JsonObject().put("enabled", r.getBoolean("enabled"))
              .put("events", r.getJsonArray("events")).put("mediaBase64", r.getBoolean("media_base64"))));
          return out;
        });
  }

  /** The WebSocket settings on their own (the Events module route), outside any caller's transaction. */
  public Uni<Void> upsertWebsocket(UUID instanceId, boolean enabled, List<String> events, boolean mediaBase64) {
    return upsertWebsocket(pool, instanceId, enabled, events, mediaBase64);
  }

  public Uni<Void> upsertWebsocket(SqlClient client, UUID instanceId, boolean enabled, List<String> events, boolean mediaBase64) {
    return client.preparedQuery("INSERT INTO websocket_config (instance_id, enabled, events, media_base64) VALUES ($1, $2, $3, $4)"
        + " ON CONFLICT (instance_id) DO UPDATE SET enabled = EXCLUDED.enabled, events = EXCLUDED.events, media_base64 = EXCLUDED.media_base64,"
        + " updated_at = now()")
        .execute(Tuple.of(instanceId, enabled, new JsonArray(List.copyOf(events)), mediaBase64)).replaceWithVoid();
  }

  /**
   * Locks the instance row: concurrent upserts of one instance are serialised, so the enabled limit holds. FOR NO KEY
   * UPDATE leaves event inserts' foreign-key checks free (InstanceRepository.findByIdForUpdate says why).
   */
  public Uni<Boolean> lockInstance(SqlClient client, UUID instanceId) {
    return client.preparedQuery("SELECT 1 FROM instance WHERE id = $1 FOR NO KEY UPDATE").execute(Tuple.of(instanceId)).map(rows -> rows.size() > 0);
  }

  public Uni<Long> countEnabledOtherThan(SqlClient client, UUID instanceId, String label) {
    return client.preparedQuery("SELECT count(*) FROM webhook WHERE instance_id = $1 AND enabled AND label <> $2").execute(Tuple.of(instanceId, label))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** Full replace of the row with this label. */
  @SuppressWarnings("java:S107") // one parameter per column
  public Uni<Void> replaceWebhook(SqlClient client, UUID instanceId, String label, boolean enabled, String url, String authorizationEnc, boolean byEvents,
      List<String> events, boolean mediaBase64, String secretEnc) {
    return client.preparedQuery("INSERT INTO webhook (instance_id, label, enabled, url, authorization_enc, by_events, events, media_base64, secret_enc)"
        + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (instance_id, label) DO UPDATE SET enabled = EXCLUDED.enabled, url = EXCLUDED.url,"
        + " authorization_enc = EXCLUDED.authorization_enc, by_events = EXCLUDED.by_events, events = EXCLUDED.events,"
        + " media_base64 = EXCLUDED.media_base64, secret_enc = EXCLUDED.secret_enc, updated_at = now()")
        .execute(Tuple.from(new Object[] {instanceId, label, enabled, url, authorizationEnc, byEvents, new JsonArray(List.copyOf(events)), mediaBase64,
            secretEnc}))
        .replaceWithVoid();
  }

  /** All webhooks of an instance, sorted by label. */
  public Uni<List<Webhook>> webhooks(UUID instanceId) {
    return pool.preparedQuery("SELECT label, enabled, url, authorization_enc, by_events, events, media_base64 FROM webhook WHERE instance_id = $1 ORDER BY label")
        .execute(Tuple.of(instanceId)).map(rows -> {
          List<Webhook> out = new ArrayList<>();
          rows.forEach(r -> out.add(map(r)));
          return out;
        });
  }

  /** The WebSocket configuration as {@code {enabled, events, mediaBase64}}, or null when never configured. */
  public Uni<JsonObject> websocket(UUID instanceId) {
    return pool.preparedQuery("SELECT enabled, events, media_base64 FROM websocket_config WHERE instance_id = $1").execute(Tuple.of(instanceId))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          return new JsonObject().put("enabled", r.getBoolean("enabled")).put("events", r.getJsonArray("events")).put("mediaBase64", r.getBoolean("media_base64"));
        });
  }

  private static Webhook map(Row r) {
    List<String> events = new ArrayList<>();
    r.getJsonArray("events").forEach(e -> events.add(String.valueOf(e)));
    return new Webhook(r.getString("label"), r.getBoolean("enabled"), r.getString("url"), r.getString("authorization_enc"), r.getBoolean("by_events"), events, r.getBoolean("media_base64"));
  }
}
