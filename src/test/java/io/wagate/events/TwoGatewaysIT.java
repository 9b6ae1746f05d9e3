package io.wagate.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import io.wagate.support.Api;
import io.wagate.support.EventRows;
import io.wagate.support.GatewayProcess;
import io.wagate.support.ProcessHarness;
import io.wagate.support.WsClient;

/**
 * Two gateway processes on one database. Only the first has a sidecar (as a pod owns its instances); a WebSocket on
 * the second still sees the events the first writes, through LISTEN/NOTIFY, and is closed when the first deletes the
 * instance.
 */
class TwoGatewaysIT {
  static final Duration TIMEOUT = Duration.ofSeconds(40);

  @Test
  void anEventWrittenByOneReachesAWebSocketOnTheOther() {
    try (ProcessHarness harness = new ProcessHarness();
        GatewayProcess a = GatewayProcess.start("gateway-a", GatewayProcess.freePort(), harness.sidecarHost, harness.sidecarPort);
        GatewayProcess b = GatewayProcess.start("gateway-b", GatewayProcess.freePort(), "127.0.0.1", Integer.toString(GatewayProcess.freePort()))) {
      String account = ProcessHarness.newAccount(a);
      String name = Api.unique("it-two");
      String instanceToken = ProcessHarness.newInstance(a, account, name);
      ProcessHarness.on(a, account).contentType(ContentType.JSON).body(new JsonObject().put("enabled", true).encode())
          .post("/api/events/websocket/" + name).then().statusCode(200);

      try (WsClient ws = WsClient.open(b.port(), "/ws/" + name, instanceToken)) {
        assertThat(ws.next(TIMEOUT).getBoolean("snapshot")).isTrue();
        String qr = ProcessHarness.on(a, account).get("/api/instance/connect/" + name).then().statusCode(200).extract().path("qrCode");
        JsonObject ready = ws.until(WsClient.state("qr_ready"), TIMEOUT).stream().filter(WsClient.state("qr_ready")).findFirst().orElseThrow();
        assertThat(ready.getJsonObject("data").getJsonArray("codes").getList()).contains(qr);
        assertThat(EventRows.ids(name)).contains(ready.getLong("id"));

        ProcessHarness.on(a, account).delete("/api/instance/delete/" + name).then().statusCode(200);
        WsClient.Close close = ws.awaitClose(TIMEOUT);
        assertThat(close.code()).isEqualTo(1000);
        assertThat(close.reason()).isEqualTo("Instance deleted");
      }
    }
  }
}
