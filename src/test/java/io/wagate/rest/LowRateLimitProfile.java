package io.wagate.rest;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** A small per-address and create limit, so that 429 is reached with a handful of requests. */
public class LowRateLimitProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("wagate.rate-limit.default-per-minute", "5", "wagate.rate-limit.create-per-minute", "3");
  }
}
