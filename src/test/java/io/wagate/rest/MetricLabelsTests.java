package io.wagate.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.wagate.support.Api;
import io.wagate.support.Prometheus;

/** No path as a client sent it reaches the {@code uri} label: route templates, or UNKNOWN for answers written before routing. */
@QuarkusTest
class MetricLabelsTests {

  @Test
  void noInstanceNameReachesAnHttpLabel() {
    String account = Api.newAccount();
    String secret = Api.unique("labelleak").replace("-", "");
    Api.as(account).get("/api/instance/connect/" + secret + "a").then().statusCode(404);
    Api.as("not-a-token").get("/api/instance/getSettings/" + secret + "b").then().statusCode(401);
    Api.as(account).put("/api/instance/connect/" + secret + "c").then().statusCode(405);
    Api.as(account).get("/api/nothing/" + secret + "d").then().statusCode(404);
    Api.as(account).contentType(ContentType.JSON).body("{\"name\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}")
        .post("/api/instance/proxy/" + secret + "e").then().statusCode(413);
    Api.as(account).get("/api/instance/getSettings/" + secret + "f" + "g".repeat(9000)).then().statusCode(414);
    given().header("X-Big", "h".repeat(30_000)).get("/api/instance/list/" + secret + "h").then().statusCode(431);

    String metrics = Prometheus.scrape();
    assertThat(metrics).contains("http_server_requests_seconds_count").doesNotContain(secret);
    // the templates themselves are still there, and what was answered before routing is counted as UNKNOWN
    assertThat(Prometheus.value(metrics, "http_server_requests_seconds_count", Map.of("uri", "/api/instance/connect/{instance}", "status", "404")))
        .isGreaterThanOrEqualTo(1);
    assertThat(Prometheus.value(metrics, "http_server_requests_seconds_count", Map.of("uri", "UNKNOWN", "status", "413"))).isGreaterThanOrEqualTo(1);
  }
}
