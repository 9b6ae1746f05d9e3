package io.wagate;

import io.vertx.core.json.JsonObject;

/**
 * A messaging event ({@code message.exchange} or {@code message.status}) with its {@code data} object as the API
 * emits it. It shares the sidecar's ordered stream with lifecycle events but never changes an instance's state.
 */
public record MessageEvent(String event, JsonObject data) {
  public static final String EXCHANGE = "message.exchange";
  public static final String STATUS = "message.status";

  /** The short value kept in {@code instance_event.state} beside the event name (direction or receipt status). */
  public String label() {
    return EXCHANGE.equals(event) ? data.getString("direction", "") : data.getString("status", "");
  }
}
