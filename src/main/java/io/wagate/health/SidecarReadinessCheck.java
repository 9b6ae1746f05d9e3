package io.wagate.health;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.wagate.client.SidecarClient;

/** Readiness follows the sidecar: without it no lifecycle call can succeed, but restarting the gateway would not help. */
@Readiness
@ApplicationScoped
public class SidecarReadinessCheck implements AsyncHealthCheck {
  private final SidecarClient sidecar;

  public SidecarReadinessCheck(SidecarClient sidecar) {
    this.sidecar = sidecar;
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    return sidecar.listSessions().ifNoItem().after(Duration.ofSeconds(3)).fail()
        .map(s -> HealthCheckResponse.named("sidecar").up().withData("bootId", s.bootId()).withData("sessions", s.live().size()).build())
        .onFailure().recoverWithItem(t -> HealthCheckResponse.named("sidecar").down().withData("error", String.valueOf(t.getMessage())).build());
  }
}
