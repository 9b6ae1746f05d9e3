package io.wagate.repository;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Webhook and WebSocket configuration rows written by the create route's inline blocks. */
@ApplicationScoped
public class IntegrationRepository {
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

  public Uni<Void> upsertWebsocket(SqlClient client, UUID instanceId, boolean enabled, List<String> events, boolean mediaBase64) {
    return client.preparedQuery("INSERT INTO websocket_config (instance_id, enabled, events, media_base64) VALUES ($1, $2, $3, $4)"
        + " ON CONFLICT (instance_id) DO UPDATE SET enabled = EXCLUDED.enabled, events = EXCLUDED.events, media_base64 = EXCLUDED.media_base64,"
        + " updated_at = now()")
        .execute(Tuple.of(instanceId, enabled, new JsonArray(List.copyOf(events)), mediaBase64)).replaceWithVoid();
  }
}
