package io.wagate.events;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import io.wagate.cluster.Rendezvous;
import io.wagate.support.Api;
import io.wagate.support.ChildProcess;
import io.wagate.support.EventRows;
import io.wagate.support.GatewayProcess;
import io.wagate.support.ProcessHarness;
import io.wagate.support.WsClient;

/**
 * Three pods (gateway + its own sidecar) with the cluster on, one database, one emulator, 2 s leases: every lifecycle
 * command sent to a gateway that does not own the instance is answered by the owner, exactly as one gateway answers
 * it (without forwarding, the non-owner answers 500 "instance is owned by another gateway"), and a WebSocket on a
 * non-owner sees the owner's events in order. An owner that cannot be reached gives 503 in the envelope.
 */
class ForwardingIT {
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  static final String NO_SESSION = "Instance has no saved session \u2014 call /connect first";
  static final String PHONE = "5511900000731";

  @Test
  void everyLifecycleCommandOnANonOwnerIsAnsweredByTheOwner() {
    List<String> ids = Stream.of("a", "b", "c").map(n -> Api.unique("fwd-" + n)).toList();
    try (ProcessHarness harness = new ProcessHarness(); ChildProcess sidecarB = harness.sidecar("wagate-sidecar-b");
        ChildProcess sidecarC = harness.sidecar("wagate-sidecar-c");
        GatewayProcess a = member(ids.get(0), harness.sidecarProcess);
        GatewayProcess b = member(ids.get(1), sidecarB);
        GatewayProcess c = member(ids.get(2), sidecarC)) {
      Map<String, GatewayProcess> byId = Map.of(ids.get(0), a, ids.get(1), b, ids.get(2), c);
      String account = ProcessHarness.newAccount(a);
      String name = Api.unique("it-fwd");
      String instanceToken = ProcessHarness.newInstance(a, account, name);
      ProcessHarness.on(a, account).contentType(ContentType.JSON).body(new JsonObject().put("enabled", true).encode())
          .post("/api/events/websocket/" + name).then().statusCode(200);

      try (WsClient ws = WsClient.open(b.port(), "/ws/" + name, instanceToken)) {
        assertThat(ws.next(TIMEOUT).getBoolean("snapshot")).isTrue();
        // a's connect claims the lease; the same connect through b is the owner's answer, the current QR
        ProcessHarness.on(a, account).get("/api/instance/connect/" + name).then().statusCode(200).body("status", equalTo("qr"));
        assertThat(EventRows.leaseOwner(name)).isEqualTo(ids.get(0));
        String qr = ProcessHarness.on(b, account).get("/api/instance/connect/" + name).then().statusCode(200)
            .body("success", equalTo(true)).body("message", equalTo("QR code generated")).body("status", equalTo("qr"))
            .body("qrCodeBase64", startsWith("data:image/png;base64,")).extract().path("qrCode");
        String jid = harness.emulator.scan(qr, PHONE);
        List<JsonObject> frames = ws.until(WsClient.state("connected"), TIMEOUT);
        assertThat(states(frames)).containsSubsequence("qr_ready", "pair_success", "connected");
        assertThat(frames.stream().map(f -> f.getLong("id")).toList()).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();

        // a connected instance moves to its rendezvous owner; the commands below go through the two others
        String settled = Rendezvous.owner(EventRows.instanceId(name), ids);
        Api.await(name + " owned by " + settled + " and connected", TIMEOUT,
            () -> settled.equals(EventRows.leaseOwner(name)) && "connected".equals(ProcessHarness.state(b, account, name)));
        List<GatewayProcess> others = ids.stream().filter(id -> !id.equals(settled)).map(byId::get).toList();
        GatewayProcess via = others.get(0);

        // the seed table (API.md 2.3) through a non-owner
        ProcessHarness.on(via, account).post("/api/instance/reconnect/" + name).then().statusCode(200)
            .body("success", equalTo(true)).body("message", equalTo("Instance already connected")).body("status", equalTo("connected"));
        ProcessHarness.on(others.get(1), instanceToken).get("/api/instance/connect/" + name).then().statusCode(200)
            .body("message", equalTo("Instance already connected")).body("status", equalTo("connected"));
        harness.emulator.replace(jid);
        Api.await(name + " disconnected", TIMEOUT, () -> "disconnected".equals(ProcessHarness.state(via, account, name)));
        ProcessHarness.on(via, account).contentType("text/plain").body("ignored").post("/api/instance/reconnect/" + name).then().statusCode(200)
            .body("success", equalTo(true)).body("message", equalTo("Reconnect initiated")).body("status", equalTo("connecting"));
        Api.await(name + " connected again", TIMEOUT, () -> "connected".equals(ProcessHarness.state(via, account, name)));
        given().baseUri("http://127.0.0.1").port(via.port()).post("/api/instance/reconnect/" + name).then().statusCode(401)
            .body("success", equalTo(false)).body("error.message", equalTo("Invalid token"));
        ProcessHarness.on(via, account).post("/api/instance/reconnect/" + Api.unique("ghost")).then().statusCode(404)
            .body("error.message", equalTo("Instance not found"));

        // a setting the owner's live session applies at once (a non-owner would only store it): calls are rejected
        ProcessHarness.on(via, account).contentType(ContentType.JSON).body(new JsonObject().put("autoRejectCalls", true).encode())
            .post("/api/instance/settings/" + name).then().statusCode(200).body("success", equalTo(true)).body("settings.autoRejectCalls", equalTo(true));
        harness.emulator.callDevice(jid);
        Api.await("the call rejected by the owner's session", TIMEOUT, () -> device(harness, jid).getInteger("callsRejected") >= 1);

        ProcessHarness.on(via, account).delete("/api/instance/logout/" + name).then().statusCode(200)
            .body("success", equalTo(true)).body("message", equalTo("Instance logged out")).body("instance.status", equalTo("loggedout"));
        Api.await(name + " logged out", TIMEOUT, () -> "loggedout".equals(ProcessHarness.state(via, account, name)));
        ProcessHarness.on(via, account).post("/api/instance/reconnect/" + name).then().statusCode(400)
            .body("success", equalTo(false)).body("error.message", equalTo(NO_SESSION));
        assertThat(device(harness, jid).getInteger("maxConcurrentConnections")).isEqualTo(1);

        List<JsonObject> later = ws.until(WsClient.state("logged_out"), TIMEOUT);
        assertThat(states(later)).containsSubsequence("stream_replaced", "connecting", "connected", "logged_out");
        List<Long> all = new ArrayList<>(frames.stream().map(f -> f.getLong("id")).toList());
        all.addAll(later.stream().map(f -> f.getLong("id")).toList());
        assertThat(all).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();

        ProcessHarness.on(via, account).delete("/api/instance/delete/" + name).then().statusCode(200).body("success", equalTo(true));
        WsClient.Close close = ws.awaitClose(TIMEOUT);
        assertThat(close.code()).isEqualTo(1000);
        assertThat(close.reason()).isEqualTo("Instance deleted");
      }
      ownerUnreachableIs503(a, b, account);
    }
  }

  /** A live member whose address refuses connections holds the lease: the command is answered 503, never 500. */
  private static void ownerUnreachableIs503(GatewayProcess a, GatewayProcess b, String account) {
    String name = Api.unique("it-gone");
    ProcessHarness.newInstance(a, account, name);
    String gone = Api.unique("fwd-gone");
    EventRows.execute("INSERT INTO member (id, address, heartbeat_at) VALUES ('" + gone + "', ?, now() + interval '1 hour')",
        "http://127.0.0.1:" + GatewayProcess.freePort());
    try {
      EventRows.execute("INSERT INTO instance_lease (instance_id, owner, epoch, expires_at) SELECT id, '" + gone + "', 1, now() + interval '1 hour'"
          + " FROM instance WHERE name = ?", name);
      ProcessHarness.on(b, account).get("/api/instance/connect/" + name).then().statusCode(503)
          .body("success", equalTo(false)).body("error.message", equalTo("Service temporarily unavailable: owner gateway unreachable"));
    } finally {
      EventRows.execute("DELETE FROM member WHERE id = ?", gone);
    }
  }

  private static GatewayProcess member(String id, ChildProcess sidecar) {
    int port = GatewayProcess.freePort();
    Map<String, String> settings = new HashMap<>();
    settings.put("WAGATE_CLUSTER_ENABLED", "true");
    settings.put("WAGATE_CLUSTER_MEMBER_ID", id);
    settings.put("WAGATE_CLUSTER_ADVERTISED_URL", "http://127.0.0.1:" + port);
    settings.put("WAGATE_CLUSTER_LEASE", "2s");
    String[] addr = sidecar.field("addr").split(":");
    return GatewayProcess.start("gateway-" + id, port, addr[0], addr[1], settings);
  }

  private static List<String> states(List<JsonObject> frames) {
    return frames.stream().filter(f -> !f.getBoolean("snapshot", false)).map(f -> f.getJsonObject("data").getString("state")).toList();
  }

  private static JsonObject device(ProcessHarness harness, String jid) {
    JsonObject devices = harness.emulator.devices();
    // a logged-out device is listed apart, with its counters
    return Stream.concat(devices.getJsonArray("devices").stream(), devices.getJsonArray("unlinked").stream()).map(JsonObject.class::cast)
        .filter(d -> jid.equals(d.getString("jid")))
        .findFirst().orElseThrow(() -> new AssertionError("no device " + jid + " at the emulator"));
  }
}
