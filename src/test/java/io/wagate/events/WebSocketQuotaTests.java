package io.wagate.events;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.wagate.support.Api;
import io.wagate.support.LifecycleSteps;
import io.wagate.support.WsClient;

/** wagate.websocket.max-per-token: one socket over the cap is refused with 429 in the envelope, before the upgrade. */
@QuarkusTest
@TestProfile(SmallBufferProfile.class)
class WebSocketQuotaTests {
  static final Duration FRAME = Duration.ofSeconds(40);

  /** An upgrade request as a WebSocket client sends it; a refusal is a plain HTTP answer. */
  static Response upgrade(String name, String token) {
    return given().header("token", token).header("Connection", "Upgrade").header("Upgrade", "websocket").header("Sec-WebSocket-Version", "13")
        .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").get("/ws/" + name);
  }

  static WsClient opened(String name, String token) {
    WsClient ws = WsClient.open("/ws/" + name, token);
    assertThat(ws.next(FRAME).getBoolean("snapshot")).isTrue();
    return ws;
  }

  @Test
  void oneSocketOverTheCapIs429AndAClosedSocketFreesItsSlot() {
    String account = Api.newAccount();
    String name = Api.unique("ws-cap");
    String token = Api.newInstance(account, name);
    LifecycleSteps.enableWebsocket(account, name);
    List<WsClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < SmallBufferProfile.MAX_SOCKETS_PER_TOKEN; i++) {
        open.add(opened(name, token));
      }
      upgrade(name, token).then().statusCode(429).body("success", equalTo(false))
          .body("error.message", equalTo("Too many WebSocket connections for this token"));
      // each token has its own count
      try (WsClient other = opened(name, account)) {
        assertThat(other).isNotNull();
      }
      open.remove(0).close();
      Api.await("the closed socket's slot to be free", FRAME, () -> {
        try {
          open.add(opened(name, token));
          return true;
        } catch (AssertionError refused) {
          return false;
        }
      });
      upgrade(name, token).then().statusCode(429);
    } finally {
      open.forEach(WsClient::close);
    }
  }
}
