package io.wagate.rest;

import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import io.wagate.support.Api;
import io.wagate.support.SidecarEmulatorResource;

/** Hung dependencies, produced for real: a WhatsApp server too slow to issue a QR code, a paused sidecar (SIGSTOP). */
@QuarkusTest
@TestProfile(ShortTimeoutsProfile.class)
class TimeoutTests extends SidecarFixture {
  TimeoutTests() {
    super(Duration.ofSeconds(30));
  }

  @Test
  void noQrCodeInTimeIs500TimedOut() {
    String name = Api.unique("slowqr");
    Api.newInstance(account, name);
    emulator.faults(new JsonObject().put("latencyMs", 10_000));
    Api.as(account).get("/api/instance/connect/" + name).then().statusCode(500)
        .body("success", equalTo(false)).body("error.message", equalTo("Failed to connect: timed out waiting for QR code"));
  }

  @Test
  void pausedSidecarFailsTheReconnectThenRecovers() {
    String name = Api.unique("paused");
    Api.newInstance(account, name);
    String jid = pair(name, "5511900000201");
    emulator.replace(jid);
    Api.awaitState(account, name, "disconnected", Duration.ofSeconds(30));

    SidecarEmulatorResource.pauseSidecar();
    try {
      Api.as(account).post("/api/instance/reconnect/" + name).then().statusCode(500)
          .body("error.message", equalTo("Failed to reconnect: sidecar unavailable"));
    } finally {
      SidecarEmulatorResource.resumeSidecar();
    }
    breakers.resetAll();
    Api.await("reconnect to work again", Duration.ofSeconds(30), () -> Api.as(account).post("/api/instance/reconnect/" + name).statusCode() == 200);
    Api.awaitState(account, name, "connected", Duration.ofSeconds(30));
  }
}
