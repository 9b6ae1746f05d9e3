package io.wagate.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.wagate.support.Api;
import io.wagate.support.EmulatorControl;
import io.wagate.support.EventLog;
import io.wagate.support.InjectEmulator;
import io.wagate.support.LifecycleSteps;
import io.wagate.support.WsClient;

/** /ws/:instance and /ws against the real sidecar and emulator: snapshot, live order, ?since resume, delete. */
@QuarkusTest
class WebSocketStreamTests {
  static final Duration FRAME = Duration.ofSeconds(40);

  @InjectEmulator
  EmulatorControl emulator;

  @Inject
  EventLog log;

  @Test
  void connectingThenConnectedAfterAReconnect() {
    String account = Api.newAccount();
    String name = Api.unique("ws-rc");
    String instanceToken = Api.newInstance(account, name);
    LifecycleSteps.enableWebsocket(account, name);
    String jid = LifecycleSteps.pair(emulator, account, name);
    try (WsClient ws = WsClient.open("/ws/" + name, instanceToken)) {
      JsonObject snapshot = ws.next(FRAME);
      assertThat(snapshot.getBoolean("snapshot")).isTrue();
      assertThat(snapshot.getJsonObject("data").getString("state")).isEqualTo("connected");
      assertThat(snapshot.getLong("id")).isEqualTo(log.of(name, account).get(log.of(name, account).size() - 1).id());

      emulator.kick(jid);
      List<JsonObject> frames = ws.until(WsClient.state("connected"), FRAME);
      List<String> states = frames.stream().map(f -> f.getJsonObject("data").getString("state")).toList();
      assertThat(states).contains("connecting");
      assertThat(states.indexOf("connecting")).isLessThan(states.size() - 1);
      assertThat(frames).allSatisfy(f -> {
        assertThat(f.getString("event")).isEqualTo("instance.state");
        assertThat(f.getJsonObject("instanceData").getString("instance")).isEqualTo(name);
        assertThat(f.getJsonObject("instanceData").getString("token")).isEqualTo(instanceToken);
        assertThat(f.getJsonObject("instanceData").getString("baseUrl")).isNotBlank();
        assertThat(f.getString("timestamp")).matches("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$");
      });
      assertThat(frames.stream().map(f -> f.getLong("id")).toList()).isSorted().doesNotHaveDuplicates();
      JsonObject connected = frames.get(frames.size() - 1);
      assertThat(connected.getJsonObject("data").getString("numberJid")).endsWith("@s.whatsapp.net");
    }
  }

  @Test
  void qrReadyCarriesTheCodesAndDeleteClosesTheSocket() {
    String account = Api.newAccount();
    String name = Api.unique("ws-qr");
    Api.newInstance(account, name);
    LifecycleSteps.enableWebsocket(account, name);
    try (WsClient ws = WsClient.open("/ws/" + name, account)) {
      JsonObject snapshot = ws.next(FRAME);
      assertThat(snapshot.getBoolean("snapshot")).isTrue();
      assertThat(snapshot.getLong("id")).isZero();
      assertThat(snapshot.getJsonObject("data").getString("state")).isEqualTo("disconnected");

      String qr = LifecycleSteps.connect(account, name);
      JsonObject ready = ws.until(WsClient.state("qr_ready"), FRAME).stream().filter(WsClient.state("qr_ready")).findFirst().orElseThrow();
      assertThat(ready.getJsonObject("data").getJsonArray("codes").getList()).isNotEmpty().contains(qr);

      Api.as(account).delete("/api/instance/delete/" + name).then().statusCode(200);
      WsClient.Close close = ws.awaitClose(FRAME);
      assertThat(close.code()).isEqualTo(1000);
      assertThat(close.reason()).isEqualTo("Instance deleted");
    }
  }

  @Test
  void sinceResumesAcrossAReconnectWithoutGapOrDuplicate() {
    String account = Api.newAccount();
    String name = Api.unique("ws-since");
    String instanceToken = Api.newInstance(account, name);
    LifecycleSteps.enableWebsocket(account, name);
    String jid = LifecycleSteps.pair(emulator, account, name);
    long last;
    try (WsClient first = WsClient.open("/ws/" + name, instanceToken)) {
      last = first.next(FRAME).getLong("id");
    }
    // events while no client is connected
    emulator.kick(jid);
    Api.await("events of the first drop", FRAME, () -> log.of(name, account).stream().filter(r -> r.id() > last && r.state().equals("connected")).count() == 1);

    try (WsClient resumed = WsClient.open("/ws/" + name + "?since=" + last, instanceToken)) {
      List<JsonObject> frames = new java.util.ArrayList<>(resumed.until(WsClient.state("connected"), FRAME));
      // and events after going live
      emulator.kick(jid);
      frames.addAll(resumed.until(WsClient.state("connected"), FRAME));
      // with since the replay comes first and there is no snapshot: ids strictly increase from the first frame
      assertThat(frames).noneMatch(f -> f.getBoolean("snapshot", false));
      List<Long> received = frames.stream().map(f -> f.getLong("id")).toList();
      assertThat(received).isSorted().doesNotHaveDuplicates();
      assertThat(received.get(0)).isGreaterThan(last);
      long upTo = received.get(received.size() - 1);
      List<Long> stored = log.of(name, account).stream().map(EventLog.Row::id).filter(id -> id > last && id <= upTo).toList();
      assertThat(received).isEqualTo(stored);
      assertThat(received.stream().filter(id -> id > last).count()).isGreaterThanOrEqualTo(4);
    }
  }

  @Test
  void accountSocketStreamsEveryEnabledInstance() {
    String account = Api.newAccount();
    String on = Api.unique("ws-acc-on");
    String off = Api.unique("ws-acc-off");
    Api.newInstance(account, on);
    Api.newInstance(account, off);
    LifecycleSteps.enableWebsocket(account, on);
    try (WsClient ws = WsClient.open("/ws?token=" + account, null)) {
      JsonObject snapshot = ws.next(FRAME);
      assertThat(snapshot.getBoolean("snapshot")).isTrue();
      assertThat(snapshot.getJsonObject("instanceData").getString("instance")).isEqualTo(on);
      LifecycleSteps.connect(account, off);
      LifecycleSteps.connect(account, on);
      JsonObject ready = ws.until(WsClient.state("qr_ready"), FRAME).stream().filter(WsClient.state("qr_ready")).findFirst().orElseThrow();
      assertThat(ready.getJsonObject("data").getString("instance")).isEqualTo(on);
    } finally {
      Api.as(account).delete("/api/instance/delete/" + on);
      Api.as(account).delete("/api/instance/delete/" + off);
    }
  }
}
