package io.wagate.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;
import io.quarkus.test.junit.QuarkusTest;
import io.wagate.support.Api;
import io.wagate.support.EmulatorControl;
import io.wagate.support.EventLog;
import io.wagate.support.InjectEmulator;
import io.wagate.support.LifecycleSteps;
import io.wagate.support.MessageSteps;

/**
 * Text between two wagate instances of the same gateway (two linked devices of two accounts on the emulator, both
 * driven by the one sidecar): the receiver's {@code message.exchange} is exactly MESSAGES.md §4.1, the sender gets its
 * echo and {@code delivered} then {@code read} once the receiver marks the message read through the API.
 */
@QuarkusTest
class InstanceToInstanceTests {
  static final Duration TIMEOUT = Duration.ofSeconds(40);

  @InjectEmulator
  EmulatorControl emulator;

  @Inject
  EventLog log;

  /** One paired instance: its account, name, token, phone and LID ({@code <id>@lid}, no device). */
  record Side(String account, String name, String token, String phone, String lid) {
  }

  @Test
  void textBothWaysBetweenTwoInstances() {
    Side a = paired("i2i-a");
    Side b = paired("i2i-b");
    textFromTo(a, b, "hello B, this is A");
    textFromTo(b, a, "hi A, B answering");
  }

  /** {@code from} sends a text to {@code to}'s number; asserts what both logs hold, receipts included. */
  private void textFromTo(Side from, Side to, String text) {
    var sent = MessageSteps.post(from.token(), "message/text", from.name(), new JsonObject().put("number", to.phone()).put("message", text), null)
        .statusCode(200).body("status", equalTo("sent")).body("data.chat.jid", equalTo(to.phone())).body("data.sender.jid", equalTo(from.phone()))
        .extract();
    String id = sent.path("data.messageId");
    String at = sent.path("data.timestamp");

    Api.await("message.exchange at " + to.name(), TIMEOUT, () -> event(to, "message.exchange", d -> id.equals(d.getString("id"))) != null);
    // neither instance announced a push name, so no party has a "name"
    JsonObject fromParty = new JsonObject().put("jid", from.phone()).put("lid", from.lid());
    JsonObject toParty = new JsonObject().put("jid", to.phone()).put("lid", to.lid());
    assertThat(event(to, "message.exchange", d -> id.equals(d.getString("id"))))
        .isEqualTo(exchange(id, at, false, fromParty.copy().put("type", "private"), fromParty, text, ""));
    assertThat(count(to, "message.exchange", d -> id.equals(d.getString("id")))).isEqualTo(1);
    JsonObject peer = toParty.copy().put("type", "private");
    assertThat(event(from, "message.exchange", d -> id.equals(d.getString("id")))).isEqualTo(exchange(id, at, true, peer, fromParty, text, "api"));
    assertThat(count(from, "message.exchange", d -> id.equals(d.getString("id")))).isEqualTo(1);

    Api.await("delivered at " + from.name(), TIMEOUT, () -> event(from, "message.status", MessageSteps.statusOf(id, "delivered")) != null);
    assertThat(event(from, "message.status", MessageSteps.statusOf(id, "read"))).isNull();
    Api.as(to.token()).contentType(io.restassured.http.ContentType.JSON).body(new JsonObject().put("messageId", id).put("number", from.phone()).encode())
        .post("/api/chat/markRead/" + to.name()).then().statusCode(200).body("success", equalTo(true)).body("message_id", equalTo(id))
        .body("chat_jid", equalTo(from.phone() + "@s.whatsapp.net"));
    Api.await("read at " + from.name(), TIMEOUT, () -> event(from, "message.status", MessageSteps.statusOf(id, "read")) != null);
    JsonObject read = event(from, "message.status", MessageSteps.statusOf(id, "read"));
    assertThat(read.getString("recipient")).isEqualTo(to.phone());
    assertThat(read.getJsonObject("chat")).isEqualTo(peer);
    // the sender's log for this id: the echo, then sent, delivered, read, each once and in that order
    assertThat(log.of(from.name(), from.account()).stream().filter(r -> mentions(r, id))
        .map(r -> r.event().equals("message.exchange") ? "exchange" : r.data().getString("status")).toList())
        .containsExactly("exchange", "sent", "delivered", "read");
  }

  /** MESSAGES.md §4.1 for a text: the top-level copies and {@code message} carry the same values. */
  private static JsonObject exchange(String id, String at, boolean fromMe, JsonObject chat, JsonObject sender, String text, String source) {
    String direction = fromMe ? "outgoing" : "incoming";
    JsonObject message = new JsonObject().put("id", id).put("type", "text").put("direction", direction).put("fromMe", fromMe).put("timestamp", at)
        .put("chat", chat).put("sender", sender).put("content", new JsonObject().put("text", text)).put("source", source);
    return new JsonObject().put("id", id).put("direction", direction).put("timestamp", at).put("chat", chat).put("sender", sender).put("message", message);
  }

  private Side paired(String prefix) {
    String account = Api.newAccount();
    String name = Api.unique(prefix);
    String token = Api.newInstance(account, name);
    String phone = LifecycleSteps.phone();
    String jid = Api.pair(emulator, account, name, phone, TIMEOUT);
    String lid = emulator.devices().getJsonArray("devices").stream().map(JsonObject.class::cast).filter(d -> jid.equals(d.getString("jid")))
        .findFirst().orElseThrow().getString("lid");
    return new Side(account, name, token, phone, MessageSteps.bareLid(lid));
  }

  private static boolean mentions(EventLog.Row r, String id) {
    JsonObject d = r.data();
    return id.equals(d.getString("id")) || d.getJsonArray("messageIds") != null && d.getJsonArray("messageIds").contains(id);
  }

  private JsonObject event(Side side, String event, java.util.function.Predicate<JsonObject> match) {
    return MessageSteps.event(log, side.name(), side.account(), event, match).orElse(null);
  }

  private long count(Side side, String event, java.util.function.Predicate<JsonObject> match) {
    return MessageSteps.count(log, side.name(), side.account(), event, match);
  }
}
