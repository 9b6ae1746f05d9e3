package io.wagate.events;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One stored event with what its consumers need beside it: the instance token (encrypted; null once the instance is
 * deleted) and the instance's WebSocket configuration at the time it was read (null when there is none).
 */
public record EventRecord(long id, UUID instanceId, UUID accountId, String instanceName, String event, JsonObject data, OffsetDateTime createdAt,
    String tokenEnc, Boolean websocketEnabled, JsonArray websocketEvents) {

  /** The WebSocket filter: an empty (or absent) list means every event. */
  public boolean websocketWants() {
    return websocketEvents == null || websocketEvents.isEmpty() || websocketEvents.contains(event);
  }
}
