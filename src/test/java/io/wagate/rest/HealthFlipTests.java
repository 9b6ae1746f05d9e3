package io.wagate.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.wagate.support.Api;
import io.wagate.support.SidecarEmulatorResource;

/** Readiness turns DOWN naming the lost dependency and comes back with it; liveness never follows a dependency. */
@QuarkusTest
class HealthFlipTests {
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Inject
  CircuitBreakerMaintenance breakers;

  @AfterEach
  void reset() {
    breakers.resetAll();
  }

  @Test
  void sidecarStopsAndComesBack() {
    awaitReady();
    String bootBefore = SidecarEmulatorResource.sidecarBootId();
    SidecarEmulatorResource.killSidecar();
    try {
      awaitDown("sidecar");
      Api.ops().get("/q/health/live").then().statusCode(200);
    } finally {
      SidecarEmulatorResource.restartSidecar();
    }
    assertThat(SidecarEmulatorResource.sidecarBootId()).isNotEqualTo(bootBefore);
    // ready again only after the sidecar answers and the restore pass for its new boot has run
    awaitReady();
  }

  @Test
  void databaseStopsAndComesBack() throws SQLException {
    awaitReady();
    String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
    String database = url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*$", "");
    String user = ConfigProvider.getConfig().getValue("quarkus.datasource.username", String.class);
    String password = ConfigProvider.getConfig().getValue("quarkus.datasource.password", String.class);
    // administered from the maintenance database, since the gateway's own one is closed below
    try (Connection admin = DriverManager.getConnection(url.substring(0, url.lastIndexOf('/') + 1) + "postgres", user, password);
        Statement sql = admin.createStatement()) {
      sql.execute("ALTER DATABASE \"" + database + "\" ALLOW_CONNECTIONS false");
      try {
        sql.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "' AND pid <> pg_backend_pid()");
        awaitDown("database");
        // the driver's text (database name, host) is not echoed
        assertThat(Api.ops().get("/q/health/ready").jsonPath().getString("checks.find { it.name == 'database' }.data.error"))
            .isIn("unavailable", "timed out").doesNotContain(database);
        Api.ops().get("/q/health/live").then().statusCode(200);
      } finally {
        sql.execute("ALTER DATABASE \"" + database + "\" ALLOW_CONNECTIONS true");
      }
    }
    awaitReady();
  }

  static void awaitReady() {
    Api.await("readiness UP", TIMEOUT, () -> Api.ops().get("/q/health/ready").statusCode() == 200);
  }

  /** Waits for a 503 whose failing check is {@code check}, and only that one among database and sidecar. */
  static void awaitDown(String check) {
    Api.await(check + " DOWN", TIMEOUT, () -> {
      var response = Api.ops().get("/q/health/ready");
      return response.statusCode() == 503 && "DOWN".equals(response.jsonPath().getString("checks.find { it.name == '" + check + "' }.status"));
    });
    JsonPath ready = Api.ops().get("/q/health/ready").then().statusCode(503).extract().jsonPath();
    assertThat(ready.getString("status")).isEqualTo("DOWN");
    assertThat(ready.getString("checks.find { it.name == '" + check + "' }.data.error")).isNotBlank();
  }
}
