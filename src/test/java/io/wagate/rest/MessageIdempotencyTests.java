package io.wagate.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import io.wagate.support.Api;
import io.wagate.support.EmulatorControl;
import io.wagate.support.EventLog;
import io.wagate.support.InjectEmulator;
import io.wagate.support.MessageSteps;

/** The Idempotency-Key extension and monotonic message.status, against a paired instance and a virtual contact. */
@QuarkusTest
class MessageIdempotencyTests {
  static final Duration TIMEOUT = Duration.ofSeconds(40);
  static final String IN_PROGRESS = "Request with this Idempotency-Key is still in progress";

  @InjectEmulator
  EmulatorControl emulator;

  @Inject
  EventLog log;

  @Test
  void aRetriedSendIsOneMessage() throws Exception {
    MessageSteps.Paired paired = MessageSteps.pairedWithContact(emulator, "idem", "Bia", TIMEOUT);
    String account = paired.account();
    String name = paired.name();
    String token = paired.token();
    String contact = paired.contact();

    // sequentially: the second answer is the stored first one, and nothing is sent again
    String key = "order-" + Api.unique("k");
    JsonObject body = new JsonObject().put("number", contact).put("message", "sent once");
    ExtractableResponse<Response> first = MessageSteps.post(token, "message/text", name, body, key).statusCode(200).extract();
    String id = first.path("data.messageId");
    assertThat(id).isEqualTo(derivedId(name, key));
    assertThat(first.header("Idempotent-Replayed")).isNull();
    ExtractableResponse<Response> again = MessageSteps.post(token, "message/text", name, body.copy(), key).statusCode(200)
        .body("data.messageId", equalTo(id)).extract();
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(new JsonObject(again.asString())).isEqualTo(new JsonObject(first.asString()));
    MessageSteps.error(MessageSteps.post(token, "message/text", name, body.copy().put("message", "other"), key), 409,
        "Idempotency-Key already used with a different request");

    // concurrently: the request that runs second meets the first in flight (held by its delay) or its stored answer
    String key2 = "order-" + Api.unique("k");
    JsonObject slow = new JsonObject().put("number", contact).put("message", "sent once too").put("delay", 2);
    List<CompletableFuture<ExtractableResponse<Response>>> calls = List.of(
        CompletableFuture.supplyAsync(() -> MessageSteps.post(token, "message/text", name, slow, key2).extract()),
        CompletableFuture.supplyAsync(() -> MessageSteps.post(token, "message/text", name, slow, key2).extract()));
    List<ExtractableResponse<Response>> answers = calls.stream().map(CompletableFuture::join).toList();
    String id2 = derivedId(name, key2);
    assertThat(answers).anySatisfy(a -> {
      assertThat(a.statusCode()).isEqualTo(200);
      assertThat(a.header("Idempotent-Replayed")).isNull();
      assertThat((String) a.path("data.messageId")).isEqualTo(id2);
    });
    assertThat(answers).allSatisfy(a -> {
      String said = a.statusCode() == 409 ? a.path("error.message") : a.path("data.messageId");
      assertThat(said).isIn(IN_PROGRESS, id2);
    });
    MessageSteps.post(token, "message/text", name, slow, key2).statusCode(200).body("data.messageId", equalTo(id2))
        .header("Idempotent-Replayed", "true");

    // a refusal is stored as well: the same request answers it again without running
    String key3 = "order-" + Api.unique("k");
    JsonObject empty = new JsonObject().put("number", contact).put("message", " ");
    MessageSteps.error(MessageSteps.post(token, "message/text", name, empty, key3), 400, "Message is required");
    MessageSteps.error(MessageSteps.post(token, "message/text", name, empty, key3).header("Idempotent-Replayed", "true"), 400, "Message is required");
    MessageSteps.error(MessageSteps.post(token, "message/text", name, body, "bad key"), 400, "Invalid Idempotency-Key");

    // the contact got each text once; the instance logged one echo and one "sent" per message
    MessageSteps.awaitEntry(emulator, contact, TIMEOUT, e -> id2.equals(e.getString("id")));
    List<JsonObject> got = MessageSteps.entries(emulator, contact);
    assertThat(got.stream().filter(e -> "sent once".equals(e.getString("text")))).hasSize(1);
    assertThat(got.stream().filter(e -> "sent once too".equals(e.getString("text")))).hasSize(1);
    for (String m : List.of(id, id2)) {
      assertThat(MessageSteps.count(log, name, account, "message.exchange", d -> m.equals(d.getString("id")))).isEqualTo(1);
      assertThat(MessageSteps.count(log, name, account, "message.status", MessageSteps.statusOf(m, "sent"))).isEqualTo(1);
    }
  }

  @Test
  void aReceiptThatDoesNotMoveForwardIsDropped() {
    MessageSteps.Paired paired = MessageSteps.pairedWithContact(emulator, "order", "Caio", TIMEOUT);
    String account = paired.account();
    String name = paired.name();
    String token = paired.token();
    String contact = paired.contact();
    String id = MessageSteps.post(token, "message/text", name, new JsonObject().put("number", contact).put("message", "read me"), null)
        .statusCode(200).extract().path("data.messageId");
    Api.await("delivered", TIMEOUT, () -> MessageSteps.event(log, name, account, "message.status", MessageSteps.statusOf(id, "delivered")).isPresent());

    // the contact reads it twice: the second read receipt is not higher than the first and never becomes an event
    emulator.contactRead(contact, id);
    Api.await("read", TIMEOUT, () -> MessageSteps.event(log, name, account, "message.status", MessageSteps.statusOf(id, "read")).isPresent());
    emulator.contactRead(contact, id);
    // a later message's receipt is the marker that the second read receipt has been through the stream as well
    String marker = MessageSteps.post(token, "message/text", name, new JsonObject().put("number", contact).put("message", "marker"), null)
        .statusCode(200).extract().path("data.messageId");
    // the API answers at the server's ack; the contact can read the marker only once it has received it
    Api.await("marker delivered", TIMEOUT, () -> MessageSteps.event(log, name, account, "message.status", MessageSteps.statusOf(marker, "delivered")).isPresent());
    emulator.contactRead(contact, marker);
    Api.await("marker read", TIMEOUT, () -> MessageSteps.event(log, name, account, "message.status", MessageSteps.statusOf(marker, "read")).isPresent());
    List<String> statuses = log.of(name, account).stream().filter(r -> "message.status".equals(r.event()))
        .filter(r -> r.data().getJsonArray("messageIds").contains(id)).map(r -> r.data().getString("status")).toList();
    assertThat(statuses).containsExactly("sent", "delivered", "read");
  }

  /** docs/MESSAGES.md: {@code 3EB0} and 18 upper-case hex digits of SHA-256(instance name, newline, key). */
  private static String derivedId(String name, String key) throws Exception {
    byte[] d = MessageDigest.getInstance("SHA-256").digest((name + "\n" + key).getBytes(StandardCharsets.UTF_8));
    return "3EB0" + HexFormat.of().withUpperCase().formatHex(d).substring(0, 18);
  }
}
