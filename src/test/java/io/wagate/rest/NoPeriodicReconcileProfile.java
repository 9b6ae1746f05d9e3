package io.wagate.rest;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Takes the periodic reconcile pass out of the picture: only the sidecar's boot announcement can start a restore. */
public class NoPeriodicReconcileProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("wagate.reconcile.interval", "1h");
  }
}
