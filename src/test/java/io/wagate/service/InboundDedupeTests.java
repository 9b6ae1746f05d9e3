package io.wagate.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagate.LifecycleEvent;
import io.wagate.MessageEvent;
import io.wagate.SessionEvent;
import io.wagate.support.Api;

/**
 * Inbound durability, gateway side: a message or receipt the sidecar publishes again (or WhatsApp delivers again) is
 * stored once per (instance, dedupe key), within a batch and across batches, while the other events of the batch keep
 * their place and the ids handed back still name the right rows.
 */
@QuarkusTest
class InboundDedupeTests {
  @Inject
  StateRecorder recorder;

  @Inject
  Pool pool;

  @Test
  void aRepublishedMessageIsStoredOnce() {
    String account = Api.newAccount(1, 1_000_000);
    String name = Api.unique("dedupe");
    Api.newInstance(account, name);
    UUID id = pool.preparedQuery("SELECT id FROM instance WHERE name = $1").execute(Tuple.of(name)).await().atMost(Duration.ofSeconds(10))
        .iterator().next().getUUID(0);

    List<Long> first = recorder.applyAll(List.of(message(id, "A", 1), lifecycle(id), message(id, "A", 1), message(id, "B", 2), status(id, "B", 3)))
        .await().atMost(Duration.ofSeconds(30));
    List<Long> second = recorder.applyAll(List.of(message(id, "B", 2), status(id, "B", 3), message(id, "C", 4), message(id, "A", 1)))
        .await().atMost(Duration.ofSeconds(30));

    List<Row> rows = new ArrayList<>();
    pool.preparedQuery("SELECT id, event, data->>'id' AS msg, dedupe_key FROM instance_event WHERE instance_id = $1 ORDER BY id")
        .execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(10)).forEach(rows::add);
    assertThat(rows).extracting(r -> r.getString("event")).containsExactly("message.exchange", "instance.state", "message.exchange",
        "message.status", "message.exchange");
    assertThat(rows).extracting(r -> r.getString("msg")).containsExactly("A", null, "B", null, "C");
    assertThat(rows).extracting(r -> r.getString("dedupe_key")).containsExactly("key-A", null, "key-B", "status-B", "key-C");
    assertThat(first).containsExactly(rows.get(0).getLong("id"), rows.get(1).getLong("id"), rows.get(2).getLong("id"), rows.get(3).getLong("id"));
    assertThat(second).containsExactly(rows.get(4).getLong("id"));
  }

  private static SessionEvent message(UUID instance, String id, long inbox) {
    JsonObject data = new JsonObject().put("id", id).put("direction", "incoming");
    return SessionEvent.messaging("boot", inbox, instance, System.currentTimeMillis(), false,
        new MessageEvent(MessageEvent.EXCHANGE, data).inbound("key-" + id, inbox));
  }

  private static SessionEvent status(UUID instance, String id, long inbox) {
    JsonObject data = new JsonObject().put("messageIds", List.of(id)).put("status", "delivered");
    return SessionEvent.messaging("boot", inbox, instance, System.currentTimeMillis(), false,
        new MessageEvent(MessageEvent.STATUS, data).inbound("status-" + id, inbox));
  }

  private static SessionEvent lifecycle(UUID instance) {
    return new SessionEvent("boot", 0, instance, LifecycleEvent.CONNECTING, System.currentTimeMillis(), null, null, 0, List.of(), null, 0, null, false);
  }
}
