package io.wagate.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.wagate.service.SessionMirror;
import io.wagate.support.Api;
import io.wagate.support.EventLog;
import io.wagate.support.SidecarEmulatorResource;

/** Faults produced with the real processes: a killed sidecar, a restarted one, WhatsApp refusing connections. */
@QuarkusTest
class SidecarFaultTests extends SidecarFixture {
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Inject
  EventLog events;

  @Inject
  SessionMirror mirror;

  SidecarFaultTests() {
    super(TIMEOUT);
  }

  @Test
  void whatsappUnreachableIs500WithReason() {
    String name = Api.unique("refused");
    Api.newInstance(account, name);
    String jid = pair(name, "5511900000101");
    emulator.replace(jid);
    Api.awaitState(account, name, "disconnected", TIMEOUT);

    emulator.faults(new JsonObject().put("refuseConnections", true));
    Api.as(account).post("/api/instance/reconnect/" + name).then().statusCode(500)
        .body("success", equalTo(false)).body("error.message", startsWith("Failed to reconnect: "));

    emulator.clearFaults();
    Api.as(account).post("/api/instance/reconnect/" + name).then().statusCode(200).body("message", equalTo("Reconnect initiated"));
    Api.awaitState(account, name, "connected", TIMEOUT);
  }

  @Test
  void killedSidecarIs500Or503ThenReconcilerRestoresSessions() {
    String running = Api.unique("restore");
    Api.newInstance(account, running);
    pair(running, "5511900000102");
    String loggedOut = Api.unique("stays-out");
    Api.newInstance(account, loggedOut);
    pair(loggedOut, "5511900000103");
    Api.as(account).delete("/api/instance/logout/" + loggedOut).then().statusCode(200);
    String neverPaired = Api.unique("never");
    Api.newInstance(account, neverPaired);
    String pairing = Api.unique("mid-pairing");
    Api.newInstance(account, pairing);
    Api.as(account).get("/api/instance/connect/" + pairing).then().statusCode(200).body("status", equalTo("qr"));
    Api.awaitState(account, pairing, "connecting", TIMEOUT);
    long marker = events.maxId();

    SidecarEmulatorResource.killSidecar();
    // until the broken event stream is noticed, the gateway may still answer "already connected" from it
    Api.await("the gateway to notice the sidecar is gone", TIMEOUT, mirror::isEmpty);
    try {
      Api.as(account).post("/api/instance/reconnect/" + running).then().statusCode(500)
          .body("success", equalTo(false)).body("error.message", equalTo("Failed to reconnect: sidecar unavailable"));
      Api.as(account).get("/api/instance/connect/" + neverPaired).then().statusCode(503)
          .body("error.message", equalTo("Service temporarily unavailable: sidecar"));
      // routes that do not need the sidecar keep working
      Api.as(account).get("/api/instance/getSettings/" + running).then().statusCode(200);
    } finally {
      SidecarEmulatorResource.restartSidecar();
    }

    Api.await("the reconciler to restore " + running, TIMEOUT,
        () -> events.of(running, account).stream().anyMatch(r -> r.id() > marker && r.state().equals("connected")));
    Api.awaitState(account, running, "connected", TIMEOUT);
    // once the sidecar is back, its API works again
    Api.await("reconnect to answer 200 again", TIMEOUT,
        () -> Api.as(account).post("/api/instance/reconnect/" + running).statusCode() == 200);
    assertThat(events.of(loggedOut, account).stream().filter(r -> r.id() > marker).map(EventLog.Row::state)).doesNotContain("connecting", "connected");
    assertThat(events.of(neverPaired, account).stream().filter(r -> r.id() > marker).map(EventLog.Row::state)).isEmpty();
    assertThat(Api.state(account, loggedOut)).isEqualTo("loggedout");
    // the pairing died with the old process: it must not look "connecting" forever
    Api.awaitState(account, pairing, "disconnected", TIMEOUT);
  }
}
