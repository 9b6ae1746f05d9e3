package io.wagate.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness is the process answering at all: a lost database or sidecar must not make Kubernetes restart the gateway,
 * which would not bring them back and would drop every WebSocket client.
 */
@Liveness
@ApplicationScoped
public class ProcessLivenessCheck implements HealthCheck {
  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("process").up().build();
  }
}
