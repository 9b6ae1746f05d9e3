package io.wagate;

import io.vertx.core.json.JsonObject;

/**
 * A messaging event ({@code message.exchange} or {@code message.status}) with its {@code data} object as the API
 * emits it. It shares the sidecar's ordered stream with lifecycle events but never changes an instance's state.
 *
 * <p>An event from the sidecar also carries its {@code dedupeKey} (which WhatsApp stanza it reports: the log stores it
 * once) and its {@code inboxId} (its row in the sidecar's inbox, confirmed once stored); an event the gateway produced
 * itself has neither.
 */
public record MessageEvent(String event, JsonObject data, String dedupeKey, long inboxId) {
  public static final String EXCHANGE = "message.exchange";
  public static final String STATUS = "message.status";

  public MessageEvent(String event, JsonObject data) {
    this(event, data, null, 0);
  }

  /** The same event as reported by the sidecar. */
  public MessageEvent inbound(String key, long inbox) {
    return new MessageEvent(event, data, key == null || key.isEmpty() ? null : key, inbox);
  }

  /** The short value kept in {@code instance_event.state} beside the event name (direction or receipt status). */
  public String label() {
    return EXCHANGE.equals(event) ? data.getString("direction", "") : data.getString("status", "");
  }
}
