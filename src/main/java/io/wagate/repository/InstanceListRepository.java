package io.wagate.repository;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagate.Instance;

/**
 * The list route's read model: each instance with its {@code default} webhook flag and WebSocket configuration, in
 * one round trip (the list route is a hot path; three queries per call cost more than the join).
 */
@ApplicationScoped
public class InstanceListRepository {
  /** One list item's data; the WebSocket fields are null when the instance has no WebSocket configuration. */
  public record Listed(Instance instance, boolean webhookEnabled, Boolean websocketEnabled, JsonArray websocketEvents, Boolean websocketMediaBase64) {
  }

  private static final String SELECT = "SELECT "
      + Arrays.stream(InstanceRepository.COLUMNS.split(",")).map(c -> "i." + c.trim()).collect(Collectors.joining(", "))
      + ", w.enabled AS webhook_enabled, ws.enabled AS ws_enabled, ws.events AS ws_events, ws.media_base64 AS ws_media"
      + " FROM instance i LEFT JOIN webhook w ON w.instance_id = i.id AND w.label = 'default'"
      + " LEFT JOIN websocket_config ws ON ws.instance_id = i.id";

  private final Pool pool;

  public InstanceListRepository(Pool pool) {
    this.pool = pool;
  }

  public Uni<List<Listed>> byAccount(UUID accountId) {
    return query(SELECT + " WHERE i.account_id = $1 ORDER BY i.created_at, i.name", Tuple.of(accountId));
  }

  public Uni<List<Listed>> byNames(UUID accountId, List<String> names) {
    return query(SELECT + " WHERE i.account_id = $1 AND i.name = ANY($2)", Tuple.of(accountId, names.toArray(String[]::new)));
  }

  public Uni<List<Listed>> byId(UUID id) {
    return query(SELECT + " WHERE i.id = $1", Tuple.of(id));
  }

  private Uni<List<Listed>> query(String sql, Tuple args) {
    return pool.preparedQuery(sql).execute(args).map(rows -> {
      List<Listed> out = new ArrayList<>(rows.size());
      rows.forEach(r -> out.add(map(r)));
      return out;
    });
  }

  private static Listed map(Row r) {
    return new Listed(InstanceRepository.map(r), Boolean.TRUE.equals(r.getBoolean("webhook_enabled")), r.getBoolean("ws_enabled"),
        r.getJsonArray("ws_events"), r.getBoolean("ws_media"));
  }
}
