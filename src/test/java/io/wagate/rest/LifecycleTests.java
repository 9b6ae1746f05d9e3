package io.wagate.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.wagate.support.Api;
import io.wagate.support.EmulatorControl;
import io.wagate.support.EventLog;
import io.wagate.support.InjectEmulator;
import io.wagate.support.QrDecoder;

/** The full session lifecycle through the real sidecar and the emulator's virtual phone. */
@QuarkusTest
class LifecycleTests {
  static final Duration STATE_TIMEOUT = Duration.ofSeconds(30);
  static final String NO_SESSION = "Instance has no saved session \u2014 call /connect first";
  static String account;

  @InjectEmulator
  EmulatorControl emulator;

  @Inject
  EventLog events;

  @BeforeEach
  void account() {
    if (account == null) {
      account = Api.newAccount(50, 100_000);
    }
  }

  @Test
  void qrPairingConnectsAndReconnectIsIdempotent() throws Exception {
    String name = Api.unique("qr");
    Api.newInstance(account, name);
    var qr = Api.as(account).get("/api/instance/connect/" + name).then().statusCode(200)
        .body("success", equalTo(true)).body("message", equalTo("QR code generated")).body("status", equalTo("qr"))
        .body("qrCodeBase64", startsWith("data:image/png;base64,")).extract();
    String code = qr.path("qrCode");
    assertThat(QrDecoder.decode(qr.path("qrCodeBase64"))).isEqualTo(code);

    String jid = emulator.scan(code, "5511900000001");
    assertThat(jid).startsWith("5511900000001");
    Api.awaitState(account, name, "connected", STATE_TIMEOUT);
    Api.list(account, name).then().body("message", equalTo("1 Instance found"))
        .body("instances[0].connection.numberJid", equalTo("5511900000001@s.whatsapp.net"))
        .body("instances[0].connection.displayStatus", equalTo("Connected"));

    Api.as(account).get("/api/instance/connect/" + name).then().statusCode(200)
        .body("message", equalTo("Instance already connected")).body("status", equalTo("connected"));
    Api.as(account).post("/api/instance/reconnect/" + name).then().statusCode(200)
        .body("message", equalTo("Instance already connected")).body("status", equalTo("connected"));

    List<String> states = events.states(name, account);
    assertThat(states).contains("qr_ready", "pair_success", "connected");
    assertThat(states.indexOf("qr_ready")).isLessThan(states.lastIndexOf("connected"));
    var connected = events.of(name, account).stream().filter(r -> r.state().equals("connected")).findFirst().orElseThrow();
    assertThat(connected.data().getString("numberJid")).isEqualTo("5511900000001@s.whatsapp.net");
    assertThat(connected.data().getString("instance")).isEqualTo(name);
    assertThat(connected.data().getString("timestamp")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    assertThat(connected.data().getString("previousState")).isEqualTo("connecting");
    var qrReady = events.of(name, account).stream().filter(r -> r.state().equals("qr_ready")).findFirst().orElseThrow();
    assertThat(qrReady.data().getJsonArray("codes").getList()).contains(code);
  }

  @Test
  void pairingCodeConnects() {
    String name = Api.unique("pair");
    Api.newInstance(account, name);
    String code = Api.as(account).queryParam("number", "5511900000002").get("/api/instance/connect/" + name).then().statusCode(200)
        .body("message", equalTo("Pairing code generated")).body("status", equalTo("pairing"))
        .body("pairingCode", matchesPattern("^[A-Z0-9]{4}-[A-Z0-9]{4}$")).extract().path("pairingCode");
    // a pairing in progress answers with the current code
    Api.as(account).queryParam("number", "5511900000002").get("/api/instance/connect/" + name).then().statusCode(200)
        .body("pairingCode", equalTo(code));
    emulator.linkCode("5511900000002", code);
    Api.awaitState(account, name, "connected", STATE_TIMEOUT);
    assertThat(events.states(name, account)).contains("pair_code_ready", "pair_success", "connected");
  }

  @Test
  void logoutThenReconnectNeedsConnect() {
    String name = Api.unique("logout");
    Api.newInstance(account, name);
    pairByQr(name, "5511900000003");

    Api.as(account).delete("/api/instance/logout/" + name).then().statusCode(200)
        .body("success", equalTo(true)).body("message", equalTo("Instance logged out")).body("instance.status", equalTo("loggedout"));
    Api.awaitState(account, name, "loggedout", STATE_TIMEOUT);
    Api.as(account).delete("/api/instance/logout/" + name).then().statusCode(200)
        .body("message", equalTo("Instance logged out")).body("instance.status", equalTo("loggedout"));
    Api.as(account).post("/api/instance/reconnect/" + name).then().statusCode(400)
        .body("success", equalTo(false)).body("error.message", equalTo(NO_SESSION));
    var loggedOut = events.of(name, account).stream().filter(r -> r.state().equals("logged_out")).toList();
    assertThat(loggedOut).hasSize(1);
    assertThat(loggedOut.get(0).data().getString("reason")).isNotBlank();
  }

  @Test
  void reconnectFromSavedSessionAfterStreamReplaced() {
    String name = Api.unique("replaced");
    Api.newInstance(account, name);
    String jid = pairByQr(name, "5511900000004");

    emulator.replace(jid);
    Api.awaitState(account, name, "disconnected", STATE_TIMEOUT);
    Api.as(account).post("/api/instance/reconnect/" + name).then().statusCode(200)
        .body("success", equalTo(true)).body("message", equalTo("Reconnect initiated")).body("status", equalTo("connecting"));
    Api.awaitState(account, name, "connected", STATE_TIMEOUT);
    assertThat(events.states(name, account)).containsSubsequence("connected", "stream_replaced", "connecting", "connected");
  }

  @Test
  void phoneUnlinkIsLoggedOut() {
    String name = Api.unique("unlink");
    Api.newInstance(account, name);
    String jid = pairByQr(name, "5511900000005");
    emulator.logoutFromPhone(jid);
    Api.awaitState(account, name, "loggedout", STATE_TIMEOUT);
    Api.as(account).post("/api/instance/reconnect/" + name).then().statusCode(400).body("error.message", equalTo(NO_SESSION));
  }

  @Test
  void neverPairedHasNoSession() {
    String name = Api.unique("fresh");
    Api.newInstance(account, name);
    Api.as(account).post("/api/instance/reconnect/" + name).then().statusCode(400).body("error.message", equalTo(NO_SESSION));
  }

  @Test
  void deleteLogsOutAndRemoves() {
    String name = Api.unique("delete");
    String instanceToken = Api.newInstance(account, name);
    pairByQr(name, "5511900000006");
    Api.as(account).delete("/api/instance/delete/" + name).then().statusCode(200)
        .body("success", equalTo(true)).body("message", equalTo("Instance deleted")).body("instance.status", equalTo("deleted"));
    Api.as(account).delete("/api/instance/delete/" + name).then().statusCode(404).body("error.message", equalTo("Instance not found"));
    Api.as(instanceToken).get("/api/instance/list").then().statusCode(401).body("error.message", equalTo("Invalid token"));
    Api.await("the emulator to forget the device", STATE_TIMEOUT,
        () -> emulator.devices().getJsonArray("devices").stream().noneMatch(d -> d.toString().contains("5511900000006")));
  }

  /** Pairs {@code name} with a fresh phone through the QR route; returns the device JID. */
  String pairByQr(String name, String phone) {
    return Api.pair(emulator, account, name, phone, STATE_TIMEOUT);
  }
}
