package io.wagate.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.wagate.support.Api;

/** §1.3: token transports, 401/403/404 and account scoping. */
@QuarkusTest
class AuthTests {
  static String account;
  static String other;
  static String name;
  static String instanceToken;

  @BeforeEach
  void setUp() {
    if (account != null) {
      return;
    }
    account = Api.newAccount();
    other = Api.newAccount();
    name = Api.unique("auth");
    instanceToken = Api.newInstance(account, name);
  }

  @Test
  void allThreeTransportsAreAccepted() {
    given().header("token", account).get("/api/instance/getSettings/" + name).then().statusCode(200);
    given().header("Authorization", "Bearer " + account).get("/api/instance/getSettings/" + name).then().statusCode(200);
    given().queryParam("token", account).get("/api/instance/getSettings/" + name).then().statusCode(200);
    given().header("Authorization", "Bearer " + instanceToken).get("/api/instance/getSettings/" + name).then().statusCode(200);
  }

  @Test
  void missingOrUnknownTokenIs401() {
    given().get("/api/instance/list").then().statusCode(401).body("success", equalTo(false)).body("error.message", equalTo("Invalid token"));
    Api.as("not-a-token").get("/api/instance/list").then().statusCode(401).body("error.message", equalTo("Invalid token"));
    given().header("Authorization", "Basic abc").get("/api/instance/getSettings/" + name).then().statusCode(401)
        .body("error.message", equalTo("Invalid token"));
  }

  @Test
  void tokenIsCheckedBeforeTheBody() {
    String[] routes = {"/api/instance/new", "/api/instance/settings/" + name, "/api/instance/proxy/" + name, "/api/instance/s3/" + name,
        "/api/events/webhook/" + name, "/api/events/websocket/" + name, "/api/admin/accounts"};
    for (String route : routes) {
      given().header("token", "not-a-token").contentType(ContentType.JSON).body("{\"name\": ").post(route).then().statusCode(401)
          .body("success", equalTo(false)).body("error.message", equalTo("Invalid token"));
      given().contentType(ContentType.JSON).body("[1,").post(route).then().statusCode(401).body("error.message", equalTo("Invalid token"));
    }
    // with a valid token the malformed body is still what it was
    Api.as(account).contentType(ContentType.JSON).body("{\"name\": ").post("/api/instance/settings/" + name).then().statusCode(400)
        .body("error.message", equalTo("Invalid request body"));
  }

  @Test
  void otherAccountSeesNotFound() {
    // the other account has an instance of the same name: still 404 for the first account's token on a name it lacks
    Api.newInstance(other, name);
    Api.as(other).get("/api/instance/getSettings/" + name).then().statusCode(200);
    Api.as(account).get("/api/instance/getSettings/" + Api.unique("missing")).then().statusCode(404)
        .body("error.message", equalTo("Instance not found"));
  }

  @Test
  void instanceTokenOnAnotherInstanceIs403() {
    String sibling = Api.unique("sibling");
    Api.newInstance(account, sibling);
    Api.as(instanceToken).get("/api/instance/getSettings/" + sibling).then().statusCode(403)
        .body("error.message", equalTo("Instance token does not match this instance"));
    Api.as(instanceToken).get("/api/instance/getSettings/" + Api.unique("ghost")).then().statusCode(404)
        .body("error.message", equalTo("Instance not found"));
  }

  @Test
  void instanceTokenCannotCreateOrDelete() {
    Api.as(instanceToken).contentType(ContentType.JSON).body("{\"name\":\"" + Api.unique("x") + "\"}").post("/api/instance/new").then()
        .statusCode(401).body("error.message", equalTo("Invalid token"));
    Api.as(instanceToken).delete("/api/instance/delete/" + name).then().statusCode(401).body("error.message", equalTo("Invalid token"));
  }

  @Test
  void adminApiNeedsTheAdminToken() {
    given().header("token", "wrong").get("/api/admin/accounts").then().statusCode(401).body("error.message", equalTo("Invalid token"));
    given().header("token", Api.ADMIN_TOKEN).get("/api/admin/accounts").then().statusCode(200).body("success", equalTo(true));
  }
}
