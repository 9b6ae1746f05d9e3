package io.wagate.events;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One claimed outbox row with its event ({@code event} is null if the event row is gone). */
record Delivery(long id, long webhookId, String url, boolean byEvents, String authorizationEnc, String secretEnc, int attempts,
    OffsetDateTime createdAt, EventRecord event) {

  /** The target: {@code url/<event>} with byEvents (before any query string), else the url. */
  String target() {
    if (!byEvents || event == null) {
      return url;
    }
    int q = url.indexOf('?');
    String path = q < 0 ? url : url.substring(0, q);
    String query = q < 0 ? "" : url.substring(q);
    return (path.endsWith("/") ? path : path + "/") + event.event() + query;
  }
}
