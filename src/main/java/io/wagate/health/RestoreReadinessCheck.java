package io.wagate.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.wagate.health.RestoreProgress;

/** Not ready until the reconciler's first restore pass for the current sidecar boot has finished. */
@Readiness
@ApplicationScoped
public class RestoreReadinessCheck implements HealthCheck {
  static final String NAME = "restore";

  private final RestoreProgress progress;

  public RestoreReadinessCheck(RestoreProgress progress) {
    this.progress = progress;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named(NAME).status(progress.complete()).withData("progress", progress.describe()).build();
  }
}
