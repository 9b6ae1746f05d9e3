package io.wagate.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagate.support.Api;
import io.wagate.support.LifecycleSteps;
import io.wagate.support.WsClient;

/** A client that stops reading is disconnected once its buffer is full; a reading client on the same stream gets everything. */
@QuarkusTest
@TestProfile(SmallBufferProfile.class)
class SlowClientTests {
  static final int EVENTS = 4_000;
  static final int BATCH = 100;

  @Inject
  Pool pool;

  @Inject
  EventHub hub;

  @Test
  void aClientThatDoesNotReadIsDroppedWithoutSlowingTheOthers() throws Exception {
    String account = Api.newAccount();
    String name = Api.unique("slow");
    String token = Api.newInstance(account, name);
    LifecycleSteps.enableWebsocket(account, name);
    int before = hub.subscriberCount();
    // the JDK client reads only on demand: never asking for a frame leaves the server's writes unacknowledged
    WebSocket stalled = HttpClient.newHttpClient().newWebSocketBuilder().header("token", token)
        .buildAsync(URI.create("ws://127.0.0.1:" + RestAssured.port + "/ws/" + name), new WebSocket.Listener() {
          @Override
          public void onOpen(WebSocket webSocket) {
            // no request(n): no demand
          }
        }).get(15, TimeUnit.SECONDS);
    try (WsClient reader = WsClient.open("/ws/" + name, token)) {
      reader.next(Duration.ofSeconds(20));
      Api.await("both subscribed", Duration.ofSeconds(20), () -> hub.subscriberCount() == before + 2);
      // events through the real append path (advisory lock, outbox, NOTIFY), each with a 4 KiB payload, in batches that
      // the reading client drains before the next one, so only the client that never reads can fall behind
      long last = 0;
      for (int from = 1; from <= EVENTS; from += BATCH) {
        pool.preparedQuery("SELECT wagate_append_event(i.id, i.account_id, i.name, 'instance.state', 'connecting', jsonb_build_object('instance', i.name,"
            + " 'state', 'connecting', 'pad', repeat('x', 4096), 'n', g)) FROM instance i, generate_series($2::int, $3::int) g WHERE i.name = $1")
            .execute(Tuple.of(name, from, from + BATCH - 1)).await().atMost(Duration.ofSeconds(60));
        for (int n = from; n < from + BATCH; n++) {
          JsonObject frame = reader.next(Duration.ofSeconds(30));
          assertThat(frame.getLong("id")).isGreaterThan(last);
          assertThat(frame.getJsonObject("data").getInteger("n")).isEqualTo(n);
          last = frame.getLong("id");
        }
      }
      Api.await("the stalled client dropped", Duration.ofSeconds(30), () -> hub.subscriberCount() == before + 1);
    } finally {
      stalled.abort();
    }
  }
}
