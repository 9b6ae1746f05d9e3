package io.wagate.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import io.wagate.support.Api;
import io.wagate.support.EventRows;
import io.wagate.support.GatewayProcess;
import io.wagate.support.LifecycleSteps;
import io.wagate.support.ProcessHarness;
import io.wagate.support.Receiver;

/**
 * A webhook receiver that is down while the gateway is killed with SIGKILL and started again still gets every event
 * of the instance, once each, in id order: the outbox lives in PostgreSQL, not in the process.
 */
class WebhookRestartIT {
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void deliveriesSurviveKillNineWhileTheReceiverIsDown() {
    try (ProcessHarness harness = new ProcessHarness()) {
      int port = GatewayProcess.freePort();
      int receiverPort = GatewayProcess.freePort();
      String account;
      String name = Api.unique("it-kill");
      String jid;
      try (GatewayProcess first = GatewayProcess.start("gateway-before-kill", port, harness.sidecarHost, harness.sidecarPort)) {
        account = ProcessHarness.newAccount(first);
        ProcessHarness.newInstance(first, account, name);
        ProcessHarness.on(first, account).contentType(ContentType.JSON)
            .body(new JsonObject().put("url", "http://127.0.0.1:" + receiverPort + "/hook").encode()).post("/api/events/webhook/" + name).then().statusCode(200);
        String qr = ProcessHarness.on(first, account).get("/api/instance/connect/" + name).then().statusCode(200).extract().path("qrCode");
        jid = harness.emulator.scan(qr, LifecycleSteps.phone());
        Api.await(name + " connected", TIMEOUT, () -> "connected".equals(ProcessHarness.state(first, account, name)));
        first.kill9();
        assertThat(first.exitCode()).isEqualTo(137);
      }
      List<Long> beforeKill = EventRows.ids(name);
      assertThat(beforeKill).hasSizeGreaterThanOrEqualTo(3);
      assertThat(EventRows.pendingDeliveries(name)).isEqualTo(beforeKill.size());

      try (GatewayProcess second = GatewayProcess.start("gateway-after-kill", port, harness.sidecarHost, harness.sidecarPort);
          Receiver receiver = Receiver.start(receiverPort)) {
        Api.await("deliveries from before the kill", TIMEOUT, () -> ids(receiver).equals(EventRows.ids(name)));
        // and the restarted gateway goes on with new events
        harness.emulator.kick(jid);
        Api.await("deliveries after a new drop", TIMEOUT,
            () -> EventRows.ids(name).size() > beforeKill.size() && "connected".equals(ProcessHarness.state(second, account, name))
                && ids(receiver).equals(EventRows.ids(name)));
        List<Long> received = ids(receiver);
        assertThat(received).isEqualTo(EventRows.ids(name)).isSorted().doesNotHaveDuplicates();
        assertThat(received.subList(0, beforeKill.size())).isEqualTo(beforeKill);
        assertThat(EventRows.pendingDeliveries(name)).isZero();
      }
    }
  }

  /**
   * Killed while a delivery is in flight (the receiver never answers), a gateway leaves its rows leased for ten
   * minutes; its next process, same replica name, resumes them at once rather than when the lease runs out.
   */
  @Test
  void restartedGatewayResumesItsLeasedDeliveriesAtOnce() throws IOException {
    Map<String, String> settings = Map.of("WAGATE_WEBHOOKS_LEASE", "10m", "WAGATE_WEBHOOKS_TIMEOUT", "5m", "WAGATE_WEBHOOKS_REPLICA", "it-replica");
    try (ProcessHarness harness = new ProcessHarness()) {
      int port = GatewayProcess.freePort();
      String name = Api.unique("it-lease");
      int receiverPort;
      try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
        receiverPort = silent.getLocalPort();
        try (GatewayProcess first = GatewayProcess.start("gateway-leasing", port, harness.sidecarHost, harness.sidecarPort, settings)) {
          String account = ProcessHarness.newAccount(first);
          ProcessHarness.newInstance(first, account, name);
          ProcessHarness.on(first, account).contentType(ContentType.JSON)
              .body(new JsonObject().put("url", "http://127.0.0.1:" + receiverPort + "/hook").encode()).post("/api/events/webhook/" + name).then()
              .statusCode(200);
          String qr = ProcessHarness.on(first, account).get("/api/instance/connect/" + name).then().statusCode(200).extract().path("qrCode");
          harness.emulator.scan(qr, LifecycleSteps.phone());
          Api.await(name + " connected", TIMEOUT, () -> "connected".equals(ProcessHarness.state(first, account, name)));
          Api.await("a delivery in flight to the silent receiver", TIMEOUT, () -> EventRows.leasedDeliveries(name) > 0);
          first.kill9();
        }
      }
      try (GatewayProcess second = GatewayProcess.start("gateway-resuming", port, harness.sidecarHost, harness.sidecarPort, settings);
          Receiver receiver = Receiver.start(receiverPort)) {
        Api.await("the leased deliveries, long before their lease ends", TIMEOUT, () -> ids(receiver).equals(EventRows.ids(name)));
        // successful deliveries are acknowledged in batches: the receiver can have them all before the last ack lands
        Api.await("every delivery acknowledged", TIMEOUT, () -> EventRows.pendingDeliveries(name) == 0);
      }
    }
  }

  private static List<Long> ids(Receiver receiver) {
    return receiver.accepted().stream().map(h -> h.json().getLong("id")).toList();
  }
}
