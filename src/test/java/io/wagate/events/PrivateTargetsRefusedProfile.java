package io.wagate.events;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Production's SSRF policy: loopback and private webhook targets refused. */
public class PrivateTargetsRefusedProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("wagate.webhooks.allow-private-targets", "false");
  }
}
