package io.wagate.cluster;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * With the cluster on, ready only while this member holds its share of the instances with current leases: a rolling
 * update then waits for the new pod to take its part before it stops an old one, and a pod cut off from the database
 * leaves the Service before its leases run out. It sits here, not in health, because health must not depend on cluster.
 */
@Readiness
@ApplicationScoped
public class ClusterReadinessCheck implements HealthCheck {
  static final String NAME = "cluster";

  private final Ownership ownership;

  public ClusterReadinessCheck(Ownership ownership) {
    this.ownership = ownership;
  }

  @Override
  public HealthCheckResponse call() {
    if (!ownership.enabled()) {
      return HealthCheckResponse.named(NAME).up().withData("enabled", false).build();
    }
    return HealthCheckResponse.named(NAME).status(ownership.holdsShare()).withData("enabled", true)
        .withData("member", ownership.memberId()).withData("leases", ownership.heldCount()).build();
  }
}
