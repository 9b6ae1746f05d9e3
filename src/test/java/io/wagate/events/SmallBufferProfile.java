package io.wagate.events;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The smallest WebSocket send buffer (400 frames), so that a client that stops reading is found out quickly, and a
 * small per-token WebSocket cap, so that it is reached with a few sockets (one profile: one application start).
 */
public class SmallBufferProfile implements QuarkusTestProfile {
  static final int MAX_SOCKETS_PER_TOKEN = 3;

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("wagate.events.websocket-buffer", "400", "wagate.websocket.max-per-token", Integer.toString(MAX_SOCKETS_PER_TOKEN));
  }
}
