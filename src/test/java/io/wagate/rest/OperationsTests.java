package io.wagate.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wagate.support.Api;
import io.wagate.support.Prometheus;

/** §4: health per dependency, metrics, OpenAPI and Swagger UI; none of them rate limited or token guarded. */
@QuarkusTest
class OperationsTests {
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void readinessNamesEveryDependencyAndLivenessOnlyTheProcess() {
    Api.await("readiness", TIMEOUT, () -> Api.ops().get("/q/health/ready").statusCode() == 200);
    JsonPath ready = Api.ops().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")).extract().jsonPath();
    assertThat(ready.getList("checks.name", String.class)).containsExactlyInAnyOrder("database", "sidecar", "restore", "cluster");
    assertThat(ready.getList("checks.status", String.class)).containsOnly("UP");
    assertThat(ready.getString("checks.find { it.name == 'sidecar' }.data.status")).isEqualTo("SERVING");
    assertThat(ready.getString("checks.find { it.name == 'restore' }.data.progress")).isEqualTo("restored");
    // one gateway owns every instance: the share check is always up and says so
    assertThat(ready.getBoolean("checks.find { it.name == 'cluster' }.data.enabled")).isFalse();

    JsonPath live = Api.ops().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP")).extract().jsonPath();
    assertThat(live.getList("checks.name", String.class)).containsExactly("process");
  }

  @Test
  void metricsAreServedWithoutTokens() {
    String account = Api.newAccount();
    String name = Api.unique("ops");
    String instanceToken = Api.newInstance(account, name);
    Api.as(account).get("/api/instance/list").then().statusCode(200);

    String text = Prometheus.scrape();
    assertThat(text).contains("http_server_requests_seconds_count");
    for (String state : List.of("disconnected", "connecting", "connected", "loggedout")) {
      assertThat(Prometheus.value(text, "wagate_instances", Map.of("state", state))).as(state).isGreaterThanOrEqualTo(0);
    }
    assertThat(Prometheus.value(text, "wagate_websocket_connections", Map.of())).isGreaterThanOrEqualTo(0);
    assertThat(Prometheus.value(text, "wagate_webhook_outbox", Map.of("status", "pending"))).isGreaterThanOrEqualTo(0);
    // the gauges read from the database appear after their first refresh
    Api.await("outbox age gauge", TIMEOUT, () -> Prometheus.value("wagate_webhook_outbox_oldest_age_seconds", Map.of()) >= 0);
    assertThat(text).doesNotContain(account).doesNotContain(instanceToken).doesNotContain(name);
  }

  @Test
  void openApiAndSwaggerUiAreServed() {
    Api.ops().get("/q/openapi").then().statusCode(200).body(containsString("/api/instance/reconnect/{instance}"));
    Api.ops().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
  }
}
