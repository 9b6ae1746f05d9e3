package io.wagate.events;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One claimed outbox row with its event ({@code event} is null if the event row is gone). */
record Delivery(long id, long webhookId, String url, boolean byEvents, String authorizationEnc, String secretEnc, int attempts,
    OffsetDateTime createdAt, EventRecord event) {

  /** The target: {@code url/<event>} with byEvents (before any query string), else the url. */
  String target() {
    return event == null ? url : Envelopes.target(url, byEvents, event.event());
  }
}
