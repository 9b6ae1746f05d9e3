package io.wagate.support;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;

/** Drives an instance through the real sidecar and the emulator's virtual phone. */
public final class LifecycleSteps {
  public static final Duration TIMEOUT = Duration.ofSeconds(40);

  private LifecycleSteps() {
  }

  public static String phone() {
    return "5511" + (100_000_000 + ThreadLocalRandom.current().nextInt(900_000_000));
  }

  /** GET /connect; returns the raw QR code. */
  public static String connect(String token, String name) {
    return Api.as(token).get("/api/instance/connect/" + name).then().statusCode(200).extract().path("qrCode");
  }

  /** Pairs by QR and waits for {@code connected}; returns the device JID. */
  public static String pair(EmulatorControl emulator, String token, String name) {
    return Api.pair(emulator, token, name, phone(), TIMEOUT);
  }

  public static void enableWebsocket(String token, String name) {
    Api.as(token).contentType(ContentType.JSON).body(new JsonObject().put("enabled", true).encode()).post("/api/events/websocket/" + name).then()
        .statusCode(200);
  }

  public static void webhook(String token, String name, JsonObject body) {
    Api.as(token).contentType(ContentType.JSON).body(body.encode()).post("/api/events/webhook/" + name).then().statusCode(200);
  }
}
