package io.wagate.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** §4: health with the database and the sidecar, metrics, OpenAPI; none of them rate limited or token guarded. */
@QuarkusTest
class OperationsTests {

  @Test
  void readinessCoversDatabaseAndSidecar() {
    given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")).body("checks.name", hasItem("sidecar"));
    given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
  }

  @Test
  void metricsAndOpenApi() {
    given().get("/api/instance/list").then().statusCode(401);
    given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests"));
    given().get("/q/openapi").then().statusCode(200).body(containsString("/api/instance/reconnect/{instance}"));
  }
}
