package io.wagate.support;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;

/** Test helpers for the HTTP API; names are random so that test runs never share state. */
public final class Api {
  public static final String ADMIN_TOKEN = "test-admin-token-for-the-test-profile";
  /** System property holding the management port chosen by {@link SidecarEmulatorResource}. */
  public static final String MANAGEMENT_PORT = "test.wagate.management-port";

  static {
    RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
  }

  private Api() {
  }

  public static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A fresh account with a generous rate limit; returns its TokenAccount. */
  public static String newAccount() {
    return newAccount(10, 100_000);
  }

  public static String newAccount(int quota, int ratePerMinute) {
    return given().header("token", ADMIN_TOKEN).contentType(ContentType.JSON)
        .body(new JsonObject().put("name", unique("acct")).put("instanceQuota", quota).put("rateLimitPerMinute", ratePerMinute).encode())
        .post("/api/admin/accounts").then().statusCode(201).extract().path("account.token");
  }

  /** Creates an instance; returns its TokenInstance. */
  public static String newInstance(String accountToken, String name) {
    return as(accountToken).contentType(ContentType.JSON).body(new JsonObject().put("name", name).encode())
        .post("/api/instance/new").then().statusCode(201).extract().path("instance.token");
  }

  /**
   * {@code /q/*}: the packaged app run by the integration tests serves it on its management port (failsafe sets
   * {@code test.wagate.management}); a {@code @QuarkusTest} build keeps it on the test port.
   */
  public static RequestSpecification ops() {
    String port = Boolean.getBoolean("test.wagate.management") ? System.getProperty(MANAGEMENT_PORT) : null;
    return port == null ? given() : given().port(Integer.parseInt(port));
  }

  public static RequestSpecification as(String token) {
    return given().header("token", token);
  }

  public static Response list(String token, String name) {
    return as(token).queryParam("instanceName", name).get("/api/instance/list");
  }

  public static String state(String token, String name) {
    return list(token, name).then().statusCode(200).extract().path("instances[0].connection.state");
  }

  /** Polls until {@code condition} holds, failing after {@code timeout}. */
  public static void await(String what, Duration timeout, BooleanSupplier condition) {
    Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(100)).until(condition::getAsBoolean);
  }

  public static void awaitState(String token, String name, String expected, Duration timeout) {
    await(name + " to be " + expected, timeout, () -> expected.equals(state(token, name)));
  }

  /** Pairs by QR: GET /connect, the emulator's phone scans the code, then waits for {@code connected}; returns the JID. */
  public static String pair(EmulatorControl emulator, String token, String name, String phone, Duration timeout) {
    String code = as(token).get("/api/instance/connect/" + name).then().statusCode(200).extract().path("qrCode");
    String jid = emulator.scan(code, phone);
    awaitState(token, name, "connected", timeout);
    return jid;
  }
}
