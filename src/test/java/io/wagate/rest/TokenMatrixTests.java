package io.wagate.rest;

import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.wagate.support.Api;

/** Two accounts × account and instance tokens × every :instance route, against instance a1 of account A. */
@QuarkusTest
class TokenMatrixTests {
  static String accountA;
  static String accountB;
  static String a1;
  static String a2;
  static String tokenA1;
  static String tokenA2;
  static String tokenB1;

  @BeforeEach
  void setUp() {
    if (accountA != null) {
      return;
    }
    accountA = Api.newAccount(10, 100_000);
    accountB = Api.newAccount(10, 100_000);
    a1 = Api.unique("a1");
    a2 = Api.unique("a2");
    tokenA1 = Api.newInstance(accountA, a1);
    tokenA2 = Api.newInstance(accountA, a2);
    tokenB1 = Api.newInstance(accountB, Api.unique("b1"));
  }

  /** route, the status when the caller may use the instance. */
  static Stream<Arguments> routes() {
    return Stream.of(
        Arguments.of("GET getSettings", 200), Arguments.of("GET getProxy", 200), Arguments.of("GET getS3", 200),
        Arguments.of("POST settings", 200), Arguments.of("POST proxy", 200), Arguments.of("POST s3", 200),
        Arguments.of("POST reconnect", 400), Arguments.of("GET connect", 400), Arguments.of("DELETE logout", 200));
  }

  static Response call(String route, String token, String instance) {
    String[] parts = route.split(" ");
    var spec = Api.as(token);
    return switch (parts[0]) {
      case "GET" -> parts[1].equals("connect") ? spec.queryParam("number", "123").get("/api/instance/connect/" + instance)
          : spec.get("/api/instance/" + parts[1] + "/" + instance);
      case "POST" -> spec.contentType(ContentType.JSON).body(parts[1].equals("settings") ? "{\"ignoreStatus\": false}" : "{\"enabled\": false}")
          .post("/api/instance/" + parts[1] + "/" + instance);
      default -> spec.delete("/api/instance/" + parts[1] + "/" + instance);
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routes")
  void matrix(String route, int allowed) {
    List<String> failures = new ArrayList<>();
    check(failures, route, "account A", accountA, allowed, null);
    check(failures, route, "instance a1", tokenA1, allowed, null);
    check(failures, route, "instance a2", tokenA2, 403, "Instance token does not match this instance");
    check(failures, route, "account B", accountB, 404, "Instance not found");
    check(failures, route, "instance b1", tokenB1, 404, "Instance not found");
    check(failures, route, "unknown token", "unknown-" + a1, 401, "Invalid token");
    if (!failures.isEmpty()) {
      throw new AssertionError(String.join("\n", failures));
    }
  }

  private static void check(List<String> failures, String route, String who, String token, int status, String message) {
    Response r = call(route, token, a1);
    if (r.statusCode() != status || (message != null && !message.equals(r.path("error.message")))) {
      failures.add(route + " as " + who + ": expected " + status + " " + message + ", got " + r.statusCode() + " " + r.asString());
    }
  }

  @Test
  void deleteMatrix() {
    String victim = Api.unique("victim");
    String victimToken = Api.newInstance(accountA, victim);
    Api.as(victimToken).delete("/api/instance/delete/" + victim).then().statusCode(401).body("error.message", equalTo("Invalid token"));
    Api.as(tokenB1).delete("/api/instance/delete/" + victim).then().statusCode(401).body("error.message", equalTo("Invalid token"));
    Api.as(accountB).delete("/api/instance/delete/" + victim).then().statusCode(404).body("error.message", equalTo("Instance not found"));
    Api.as(accountA).delete("/api/instance/delete/" + victim).then().statusCode(200).body("message", equalTo("Instance deleted"));
  }

  @Test
  void listIsScoped() {
    Api.as(accountB).queryParam("instanceName", a1).get("/api/instance/list").then().statusCode(404)
        .body("error.message", equalTo("Instance not found"));
    Api.as(tokenA2).get("/api/instance/list").then().statusCode(200).body("instances.name", org.hamcrest.Matchers.contains(a2));
  }
}
