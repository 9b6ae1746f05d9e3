package io.wagate.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagate.Instance;
import io.wagate.MessageEvent;
import io.wagate.SessionEvent;
import io.wagate.repository.InstanceRepository;
import io.wagate.support.Api;

/** message.status never goes backwards: the rules, and the stream path through StateRecorder on the real database. */
@QuarkusTest
class StatusOrderTests {
  @Inject
  StateRecorder recorder;

  @Inject
  Pool pool;

  @Inject
  InstanceRepository instances;

  @Test
  void rules() {
    assertThat(List.of("sent", "delivered", "read", "played").stream().map(StatusOrder::rank).toList()).containsExactly(1, 2, 3, 4);
    assertThat(List.of("retry", "inactive", "server_error").stream().map(StatusOrder::rule).distinct().toList())
        .containsExactly(StatusOrder.Rule.BEFORE_DELIVERY);
    assertThat(List.of("sender", "read_self", "played_self").stream().map(StatusOrder::rule).distinct().toList())
        .containsExactly(StatusOrder.Rule.ANY);
  }

  @Test
  void receiptsThatDoNotMoveForwardAreDropped() {
    String account = Api.newAccount();
    String name = Api.unique("status");
    Api.newInstance(account, name);
    UUID instance = pool.preparedQuery("SELECT id FROM instance WHERE name = $1").execute(Tuple.of(name)).await().atMost(Duration.ofSeconds(10))
        .iterator().next().getUUID(0);
    String a = "3EB0" + UUID.randomUUID().toString().replace("-", "").substring(0, 18).toUpperCase();
    String b = "3EB0" + UUID.randomUUID().toString().replace("-", "").substring(0, 18).toUpperCase();
    List<SessionEvent> stream = new ArrayList<>();
    // a: retry while sent passes; read overtakes delivered; equal, lower and retry after delivery are dropped
    for (String s : List.of("sent", "retry", "read", "delivered", "read", "sent", "retry", "inactive", "played", "read_self")) {
      stream.add(status(instance, stream.size(), s, a));
    }
    // one receipt for a and b: only b moves forward, so only b is left in it
    stream.add(status(instance, stream.size(), "delivered", a, b));
    stream.add(status(instance, stream.size(), "delivered", b));
    recorder.applyAll(stream.subList(0, 4)).await().atMost(Duration.ofSeconds(10));
    recorder.applyAll(stream.subList(4, stream.size())).await().atMost(Duration.ofSeconds(10));

    List<String> logged = new ArrayList<>();
    pool.preparedQuery("SELECT data FROM instance_event WHERE instance_id = $1 AND event = 'message.status' ORDER BY id").execute(Tuple.of(instance))
        .await().atMost(Duration.ofSeconds(10)).forEach(r -> {
          JsonObject d = r.getJsonObject(0);
          logged.add(d.getString("status") + " " + String.join(",", d.getJsonArray("messageIds").stream().map(String::valueOf).toList()));
        });
    assertThat(logged).containsExactly("sent " + a, "retry " + a, "read " + a, "played " + a, "read_self " + a, "delivered " + b);
  }

  @Test
  void echoAppendsSentOnlyWhenItMovesForward() {
    UUID instance = newInstance();
    Instance i = instances.findById(instance).await().atMost(Duration.ofSeconds(10));
    String a = messageId();
    String b = messageId();
    assertThat(recorder.echo(i, exchange(a), status(instance, 0, "sent", a).messaging()).await().atMost(Duration.ofSeconds(10))).hasSize(2);
    // a resend under the same id (Idempotency-Key retry): its echo is logged, "sent" is not repeated
    assertThat(recorder.echo(i, exchange(a), status(instance, 0, "sent", a).messaging()).await().atMost(Duration.ofSeconds(10))).hasSize(1);
    // b's delivery receipt came through the stream before the send's echo was written: "sent" would go backwards
    recorder.applyAll(List.of(status(instance, 0, "delivered", b))).await().atMost(Duration.ofSeconds(10));
    assertThat(recorder.echo(i, exchange(b), status(instance, 0, "sent", b).messaging()).await().atMost(Duration.ofSeconds(10))).hasSize(1);
    assertThat(logged(instance, "message.status")).containsExactly("sent " + a, "delivered " + b);
    assertThat(logged(instance, "message.exchange")).containsExactly(a, a, b);
  }

  private UUID newInstance() {
    String account = Api.newAccount();
    String name = Api.unique("status");
    Api.newInstance(account, name);
    return pool.preparedQuery("SELECT id FROM instance WHERE name = $1").execute(Tuple.of(name)).await().atMost(Duration.ofSeconds(10))
        .iterator().next().getUUID(0);
  }

  private static String messageId() {
    return "3EB0" + UUID.randomUUID().toString().replace("-", "").substring(0, 18).toUpperCase();
  }

  /** The instance's events of one kind in log order: "status ids" for statuses, the id for exchanges. */
  private List<String> logged(UUID instance, String event) {
    List<String> out = new ArrayList<>();
    pool.preparedQuery("SELECT data FROM instance_event WHERE instance_id = $1 AND event = $2 ORDER BY id").execute(Tuple.of(instance, event))
        .await().atMost(Duration.ofSeconds(10)).forEach(r -> {
          JsonObject d = r.getJsonObject(0);
          out.add(d.containsKey("status") ? d.getString("status") + " " + String.join(",", d.getJsonArray("messageIds").stream().map(String::valueOf).toList())
              : d.getString("id"));
        });
    return out;
  }

  private static MessageEvent exchange(String id) {
    return new MessageEvent(MessageEvent.EXCHANGE, new JsonObject().put("id", id).put("direction", "outgoing"));
  }

  private static SessionEvent status(UUID instance, int seq, String status, String... ids) {
    JsonObject data = new JsonObject().put("messageIds", new JsonArray(List.of((Object[]) ids))).put("status", status)
        .put("chat", new JsonObject().put("jid", "5511999990000").put("type", "private")).put("recipient", "5511999990000");
    return SessionEvent.messaging("test", seq + 1, instance, System.currentTimeMillis(), false, new MessageEvent(MessageEvent.STATUS, data));
  }
}
