package io.wagate.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.wagate.support.Api;
import io.wagate.support.EmulatorControl;
import io.wagate.support.InjectEmulator;
import io.wagate.support.Prometheus;

/** A lifecycle run (pair by QR, reconnect, logout) moves the lifecycle, pairing, reconnect and sidecar metrics. */
@QuarkusTest
class MetricsTests {
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  static final Map<String, String> CONNECTED = Map.of("from", "connecting", "to", "connected", "cause", "connected");
  static final Map<String, String> LOGGED_OUT = Map.of("to", "loggedout", "cause", "logged_out");
  static final Map<String, String> QR = Map.of("kind", "qr");
  static final Map<String, String> PAIRED = Map.of("result", "success", "cause", "pair_success");
  static final Map<String, String> API_ALREADY_CONNECTED = Map.of("trigger", "api", "result", "already_connected");
  static final Map<String, String> PAIR_RPC = Map.of("method", "Pair");
  static final Map<String, String> LOGOUT_RPC = Map.of("method", "Logout");
  static final Map<String, String> CONNECT_RPC = Map.of("method", "Connect");

  @InjectEmulator
  EmulatorControl emulator;

  @Test
  void lifecycleRunMovesTheMetrics() {
    String account = Api.newAccount();
    String name = Api.unique("metrics");
    String instanceToken = Api.newInstance(account, name);
    String before = Prometheus.scrape();

    Api.pair(emulator, account, name, "5511900000201", TIMEOUT);
    Api.as(account).post("/api/instance/reconnect/" + name).then().statusCode(200).body("status", equalTo("connected"));
    Api.await("the connected gauge to count " + name, TIMEOUT, () -> Prometheus.value("wagate_instances", Map.of("state", "connected")) >= 1);
    Api.as(account).delete("/api/instance/logout/" + name).then().statusCode(200);
    Api.awaitState(account, name, "loggedout", TIMEOUT);
    Api.await("the loggedout gauge to count " + name, TIMEOUT, () -> Prometheus.value("wagate_instances", Map.of("state", "loggedout")) >= 1);

    String after = Prometheus.scrape();
    assertThat(increase(before, after, "wagate_instance_transitions_total", CONNECTED)).isGreaterThanOrEqualTo(1);
    assertThat(increase(before, after, "wagate_instance_transitions_total", LOGGED_OUT)).isGreaterThanOrEqualTo(1);
    assertThat(increase(before, after, "wagate_pairing_codes_issued_total", QR)).isGreaterThanOrEqualTo(1);
    assertThat(increase(before, after, "wagate_pairing_results_total", PAIRED)).isGreaterThanOrEqualTo(1);
    assertThat(increase(before, after, "wagate_reconnect_attempts_total", API_ALREADY_CONNECTED)).isGreaterThanOrEqualTo(1);
    assertThat(increase(before, after, "wagate_sidecar_rpc_seconds_count", PAIR_RPC)).isGreaterThanOrEqualTo(1);
    assertThat(increase(before, after, "wagate_sidecar_rpc_seconds_count", LOGOUT_RPC)).isGreaterThanOrEqualTo(1);
    assertThat(after).doesNotContain(instanceToken).doesNotContain(account).doesNotContain(name);
  }

  /** The stream reported the session connected, so reconnect answers without asking the sidecar; after a drop it asks. */
  @Test
  void reconnectOfAConnectedInstanceSkipsTheSidecar() {
    String account = Api.newAccount();
    String name = Api.unique("fastpath");
    Api.newInstance(account, name);
    String jid = Api.pair(emulator, account, name, "5511900000202", TIMEOUT);
    int reconnects = 30;
    String before = Prometheus.scrape();
    for (int i = 0; i < reconnects; i++) {
      Api.as(account).post("/api/instance/reconnect/" + name).then().statusCode(200).body("message", equalTo("Instance already connected"));
    }
    String after = Prometheus.scrape();
    assertThat(increase(before, after, "wagate_reconnect_attempts_total", API_ALREADY_CONNECTED)).isEqualTo(reconnects);
    // the reconciler may restore other tests' instances meanwhile, but not one per reconnect
    double connectRpcs = Math.max(0, Prometheus.value(after, "wagate_sidecar_rpc_seconds_count", CONNECT_RPC))
        - Math.max(0, Prometheus.value(before, "wagate_sidecar_rpc_seconds_count", CONNECT_RPC));
    assertThat(connectRpcs).isLessThan(reconnects);

    emulator.replace(jid);
    Api.awaitState(account, name, "disconnected", TIMEOUT);
    String dropped = Prometheus.scrape();
    Api.as(account).post("/api/instance/reconnect/" + name).then().statusCode(200).body("message", equalTo("Reconnect initiated"));
    assertThat(increase(dropped, Prometheus.scrape(), "wagate_sidecar_rpc_seconds_count", CONNECT_RPC)).isGreaterThanOrEqualTo(1);
    Api.awaitState(account, name, "connected", TIMEOUT);
  }

  @Test
  void reconnectWithoutSessionIsCounted() {
    String account = Api.newAccount();
    String name = Api.unique("nosession");
    Api.newInstance(account, name);
    Map<String, String> noSession = Map.of("trigger", "api", "result", "no_session");
    String before = Prometheus.scrape();
    Api.as(account).post("/api/instance/reconnect/" + name).then().statusCode(400);
    assertThat(increase(before, Prometheus.scrape(), "wagate_reconnect_attempts_total", noSession)).isEqualTo(1);
  }

  /** A series that did not exist before counts from zero. */
  static double increase(String before, String after, String name, Map<String, String> labels) {
    double now = Prometheus.value(after, name, labels);
    assertThat(now).as(name + labels + " is exported").isGreaterThanOrEqualTo(0);
    return now - Math.max(0, Prometheus.value(before, name, labels));
  }
}
