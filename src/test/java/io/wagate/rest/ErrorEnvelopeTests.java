package io.wagate.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.wagate.support.Api;

/** Everything the server answers is the error envelope, including what the framework itself refuses. */
@QuarkusTest
class ErrorEnvelopeTests {
  static String account;

  @BeforeEach
  void account() {
    if (account != null) {
      return;
    }
    account = Api.newAccount();
  }

  @Test
  void unknownRouteIsEnvelope404() {
    given().get("/api/does-not-exist").then().statusCode(404).contentType(ContentType.JSON)
        .body("success", equalTo(false)).body("error.message", equalTo("Not found"))
        .header("X-RateLimit-Limit", notNullValue());
    Api.as(account).get("/api/instance/nope/x").then().statusCode(404).body("error.message", equalTo("Not found"));
  }

  @Test
  void wrongMethodIs405() {
    Api.as(account).put("/api/instance/list").then().statusCode(405).body("success", equalTo(false))
        .body("error.message", equalTo("Method not allowed")).header("Allow", containsString("GET"));
    Api.as(account).delete("/api/instance/new").then().statusCode(405).header("Allow", containsString("POST"));
  }

  @Test
  void uriTooLongIsEnvelope414() {
    Api.as(account).get("/api/instance/getSettings/" + "u".repeat(20_000)).then().statusCode(414).contentType(ContentType.JSON)
        .body("success", equalTo(false)).body("error.message", equalTo("Request URI too long"));
  }

  @Test
  void headersTooLargeAreEnvelope431() {
    Api.as(account).header("X-Big", "h".repeat(40_000)).get("/api/instance/list").then().statusCode(431).contentType(ContentType.JSON)
        .body("success", equalTo(false)).body("error.message", equalTo("Request header fields too large"));
  }

  @Test
  void wrongContentTypeIs415() {
    Api.as(account).contentType(ContentType.TEXT).body("name=x").post("/api/instance/new").then().statusCode(415)
        .body("error.message", equalTo("Unsupported media type"));
  }

  @Test
  void malformedJsonIs400() {
    Api.as(account).contentType(ContentType.JSON).body("{\"name\": ").post("/api/instance/new").then().statusCode(400)
        .body("error.message", equalTo("Invalid request body")).body(not(containsString("Exception")));
  }

  @Test
  void wrongTypesAre400() {
    Api.as(account).contentType(ContentType.JSON).body("{\"name\": {\"a\": 1}}").post("/api/instance/new").then().statusCode(400)
        .body("error.message", equalTo("Invalid request body"));
    Api.as(account).contentType(ContentType.JSON).body("[1,2]").post("/api/instance/new").then().statusCode(400)
        .body("error.message", equalTo("Invalid request body"));
  }

  @Test
  void bodyOverOneMebibyteIs413() {
    String big = "{\"name\":\"" + "a".repeat(1024 * 1024 + 10) + "\"}";
    Api.as(account).contentType(ContentType.JSON).body(big).post("/api/instance/new").then().statusCode(413)
        .body("success", equalTo(false)).body("error.message", equalTo("Request body too large"));
  }

  @Test
  void chunkedBodyOverOneMebibyteIs413() {
    byte[] big = ("{\"name\":\"" + "b".repeat(1024 * 1024 + 10) + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Api.as(account).contentType(ContentType.JSON).body(new java.io.ByteArrayInputStream(big)).post("/api/instance/new").then().statusCode(413)
        .body("success", equalTo(false)).body("error.message", equalTo("Request body too large"));
  }
}
