package io.wagate.health;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.wagate.client.SidecarClient;

/** Readiness follows the sidecar's gRPC health service: without it no lifecycle call can succeed, but restarting the gateway would not help. */
@Readiness
@ApplicationScoped
public class SidecarReadinessCheck implements AsyncHealthCheck {
  static final String NAME = "sidecar";

  private final SidecarClient sidecar;

  public SidecarReadinessCheck(SidecarClient sidecar) {
    this.sidecar = sidecar;
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    return sidecar.health().ifNoItem().after(Duration.ofSeconds(3)).fail()
        .map(status -> HealthCheckResponse.named(NAME).status("SERVING".equals(status)).withData("status", status).build())
        .onFailure().recoverWithItem(t -> HealthCheckResponse.named(NAME).down().withData("error", String.valueOf(t.getMessage())).build());
  }
}
