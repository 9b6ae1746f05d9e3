package io.wagate.health;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.quarkus.logging.Log;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Readiness follows PostgreSQL: every route reads or writes it, but a restart would not bring it back. */
@Readiness
@ApplicationScoped
public class DatabaseReadinessCheck implements AsyncHealthCheck {
  static final String NAME = "database";

  private final Pool pool;

  public DatabaseReadinessCheck(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    return pool.query("SELECT 1").execute().ifNoItem().after(Duration.ofSeconds(3)).fail()
        .map(rows -> HealthCheckResponse.named(NAME).up().build())
        .onFailure().recoverWithItem(t -> {
          // the driver's text names hosts, databases and roles: it goes to the log, never to an unauthenticated endpoint
          Log.warnf("Readiness: database unavailable: %s", t.getMessage());
          return HealthCheckResponse.named(NAME).down().withData("error", t instanceof TimeoutException ? "timed out" : "unavailable").build();
        });
  }
}
