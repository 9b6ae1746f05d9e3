package io.wagate.events;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The smallest WebSocket send buffer (400 frames), so that a client that stops reading is found out quickly. */
public class SmallBufferProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("wagate.events.websocket-buffer", "400");
  }
}
