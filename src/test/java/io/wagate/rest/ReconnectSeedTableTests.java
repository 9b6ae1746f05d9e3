package io.wagate.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.vertx.core.json.JsonObject;
import io.wagate.support.Api;
import io.wagate.support.SidecarEmulatorResource;

/** docs/API.md, section 2.3, row by row: POST /api/instance/reconnect/:instance. */
@QuarkusTest
class ReconnectSeedTableTests extends SidecarFixture {
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  ReconnectSeedTableTests() {
    super(TIMEOUT);
  }

  @Test
  void ok200ReconnectInitiatedThenConnectedAndIgnoredBody() {
    String name = Api.unique("seed-ok");
    Api.newInstance(account, name);
    String jid = pair(name, "5511900000301");
    emulator.replace(jid);
    Api.awaitState(account, name, "disconnected", TIMEOUT);
    Api.as(account).contentType("text/plain").body("ignored, whatever it is").post("/api/instance/reconnect/" + name).then().statusCode(200)
        .body("success", equalTo(true)).body("message", equalTo("Reconnect initiated")).body("status", equalTo("connecting"));
    Api.awaitState(account, name, "connected", TIMEOUT);
    // repeated while connected: 200 "already connected"
    Api.as(account).post("/api/instance/reconnect/" + name).then().statusCode(200)
        .body("message", equalTo("Instance already connected")).body("status", equalTo("connected"));
  }

  @Test
  void connectWithSavedSessionBehavesAsReconnect() {
    String name = Api.unique("seed-connect");
    Api.newInstance(account, name);
    String jid = pair(name, "5511900000302");
    emulator.replace(jid);
    Api.awaitState(account, name, "disconnected", TIMEOUT);
    Api.as(account).get("/api/instance/connect/" + name).then().statusCode(200)
        .body("message", equalTo("Reconnect initiated")).body("status", equalTo("connecting"));
    Api.awaitState(account, name, "connected", TIMEOUT);
  }

  @Test
  void row400NoSavedSession() {
    String name = Api.unique("seed-400");
    Api.newInstance(account, name);
    Api.as(account).post("/api/instance/reconnect/" + name).then().statusCode(400).body("success", equalTo(false))
        .body("error.message", equalTo("Instance has no saved session \u2014 call /connect first"));
  }

  @Test
  void row401InvalidToken() {
    given().post("/api/instance/reconnect/anything").then().statusCode(401).body("error.message", equalTo("Invalid token"));
    Api.as("nope").post("/api/instance/reconnect/anything").then().statusCode(401).body("error.message", equalTo("Invalid token"));
  }

  @Test
  void row404InstanceNotFound() {
    Api.as(account).post("/api/instance/reconnect/" + Api.unique("ghost")).then().statusCode(404).body("error.message", equalTo("Instance not found"));
    Api.as(account).post("/api/instance/reconnect/bad%20name!").then().statusCode(404).body("error.message", equalTo("Instance not found"));
  }

  @Test
  void row429RateLimited() {
    String limited = Api.newAccount(5, 1);
    String name = Api.unique("seed-429");
    Api.newInstance(limited, name);
    // the create bucket is separate, so the single global request of this window is still available
    var first = Api.as(limited).post("/api/instance/reconnect/" + name);
    var second = Api.as(limited).post("/api/instance/reconnect/" + name);
    if (!first.header("X-RateLimit-Reset").equals(second.header("X-RateLimit-Reset"))) {
      second = Api.as(limited).post("/api/instance/reconnect/" + name);
    }
    second.then().statusCode(429).body("error.message", equalTo("Rate limit exceeded. Try again later."));
  }

  @Test
  void row500ConnectCallFailed() {
    String name = Api.unique("seed-500");
    Api.newInstance(account, name);
    String jid = pair(name, "5511900000303");
    emulator.replace(jid);
    Api.awaitState(account, name, "disconnected", TIMEOUT);
    emulator.faults(new JsonObject().put("refuseConnections", true));
    Api.as(account).post("/api/instance/reconnect/" + name).then().statusCode(500)
        .body("error.message", startsWith("Failed to reconnect: "));
  }

  @Test
  void row500SidecarUnreachableOpensTheBreaker() {
    String name = Api.unique("seed-503");
    Api.newInstance(account, name);
    String jid = pair(name, "5511900000304");
    emulator.replace(jid);
    Api.awaitState(account, name, "disconnected", TIMEOUT);
    SidecarEmulatorResource.killSidecar();
    try {
      for (int i = 0; i < 6; i++) {
        Api.as(account).post("/api/instance/reconnect/" + name).then().statusCode(500)
            .body("error.message", equalTo("Failed to reconnect: sidecar unavailable"));
      }
      assertThat(breakers.currentState("sidecarConnect")).isEqualTo(CircuitBreakerState.OPEN);
    } finally {
      SidecarEmulatorResource.restartSidecar();
    }
    breakers.resetAll();
    Api.await("reconnect to work after the restart", TIMEOUT, () -> Api.as(account).post("/api/instance/reconnect/" + name).statusCode() == 200);
    Api.awaitState(account, name, "connected", TIMEOUT);
  }
}
