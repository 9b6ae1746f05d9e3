package io.wagate.rest;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Shrinks the QR wait and the sidecar call timeouts so that hung dependencies are detected within seconds. */
public class ShortTimeoutsProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("wagate.connect.code-timeout", "2s",
        "quarkus.fault-tolerance.\"io.wagate.client.SidecarClient/connect\".timeout.value", "1500",
        "quarkus.fault-tolerance.\"io.wagate.client.SidecarClient/connect\".timeout.unit", "millis",
        "quarkus.fault-tolerance.\"io.wagate.client.SidecarClient/connect\".retry.max-retries", "0");
  }
}
