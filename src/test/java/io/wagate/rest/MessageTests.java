package io.wagate.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wagate.support.Api;
import io.wagate.support.EmulatorControl;
import io.wagate.support.EventLog;
import io.wagate.support.InjectEmulator;
import io.wagate.support.LifecycleSteps;
import io.wagate.support.MessageSteps;
import io.wagate.support.Receiver;
import io.wagate.support.WsClient;

/** POST /api/message/text and the message events, between a paired instance and a virtual contact of the real emulator. */
@QuarkusTest
class MessageTests {
  static final Duration TIMEOUT = Duration.ofSeconds(40);

  @InjectEmulator
  EmulatorControl emulator;

  @Inject
  EventLog log;

  @Test
  void textBothWaysWithReceipts() {
    String account = Api.newAccount();
    String name = Api.unique("msg");
    String instanceToken = Api.newInstance(account, name);
    LifecycleSteps.enableWebsocket(account, name);
    String ownPhone = LifecycleSteps.phone();
    Api.pair(emulator, account, name, ownPhone, TIMEOUT);
    String contact = LifecycleSteps.phone();
    String contactLid = emulator.createContact(contact, "Ana").getString("lid");
    try (Receiver receiver = Receiver.start()) {
      LifecycleSteps.webhook(account, name, new JsonObject().put("url", receiver.url("/hook")).put("events", new JsonArray().add("message.status")));
      exchangeAndReceipts(account, name, instanceToken, ownPhone, contact, contactLid);
      // the channel asked for message.status only: every receipt arrives, no message and no state event does
      Api.await("read status on the webhook", TIMEOUT, () -> receiver.accepted().stream().anyMatch(h -> "read".equals(h.json().getJsonObject("data")
          .getString("status"))));
      assertThat(receiver.accepted()).allSatisfy(h -> assertThat(h.json().getString("event")).isEqualTo("message.status"));
      assertThat(receiver.accepted().stream().map(h -> h.json().getJsonObject("data").getString("status")).toList()).contains("sent", "delivered");
    }
  }

  private void exchangeAndReceipts(String account, String name, String instanceToken, String ownPhone, String contact, String contactLid) {

    ValidatableResponse sent = send(instanceToken, name, new JsonObject().put("number", "+" + contact).put("message", "hello Ana").put("source", "crm"))
        .statusCode(200).body("success", equalTo(true)).body("message", equalTo("Message sent successfully")).body("status", equalTo("sent"))
        .body("data.messageType", equalTo("text")).body("data.content", equalTo("hello Ana")).body("data.direction", equalTo("outgoing"))
        .body("data.source", equalTo("crm")).body("data.chat.jid", equalTo(contact)).body("data.chat.type", equalTo("private"))
        .body("data.sender.jid", equalTo(ownPhone));
    String id = sent.extract().path("data.messageId");
    assertThat(id).isNotBlank();
    assertThat((String) sent.extract().path("data.timestamp")).matches("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$");

    JsonObject received = awaitEntry(contact, e -> id.equals(e.getString("id")));
    assertThat(received.getString("direction")).isEqualTo("in");
    assertThat(received.getString("text")).isEqualTo("hello Ana");

    // the echo and "sent" are written before the answer; the contact's client confirms delivery by itself
    JsonObject echo = event(name, account, "message.exchange", d -> id.equals(d.getString("id"))).orElseThrow();
    assertThat(echo.getString("direction")).isEqualTo("outgoing");
    assertThat(echo.getJsonObject("message").getJsonObject("content").getString("text")).isEqualTo("hello Ana");
    assertThat(echo.getJsonObject("message").getString("source")).isEqualTo("crm");
    assertThat(echo.getJsonObject("message").getBoolean("fromMe")).isTrue();
    assertThat(event(name, account, "message.status", statusOf(id, "sent"))).isPresent();
    Api.await("delivered receipt", TIMEOUT, () -> event(name, account, "message.status", statusOf(id, "delivered")).isPresent());

    emulator.contactRead(contact, id);
    Api.await("read receipt", TIMEOUT, () -> event(name, account, "message.status", statusOf(id, "read")).isPresent());
    JsonObject read = event(name, account, "message.status", statusOf(id, "read")).orElseThrow();
    assertThat(read.getString("recipient")).isEqualTo(contact);
    assertThat(read.getJsonObject("chat").getString("jid")).isEqualTo(contact);

    // a reply quotes a message the instance has seen; the contact's client shows the quote
    String answer = send(instanceToken, name, new JsonObject().put("number", contact).put("message", "re").put("replyTo", id)).statusCode(200)
        .body("data.replyTo.messageId", equalTo(id)).extract().path("data.messageId");
    assertThat(awaitEntry(contact, e -> answer.equals(e.getString("id"))).getString("replyTo")).isEqualTo(id);
    error(send(instanceToken, name, new JsonObject().put("number", contact).put("message", "re").put("replyTo", "3EB0NOTSEEN")), 404,
        "Message not found");

    String reply;
    try (WsClient ws = WsClient.open("/ws/" + name + "?since=" + log.maxId(), instanceToken)) {
      reply = emulator.contactSend(contact, ownPhone, "hi, wagate");
      JsonObject frame = ws.until(f -> "message.exchange".equals(f.getString("event")), TIMEOUT).stream()
          .filter(f -> "message.exchange".equals(f.getString("event"))).findFirst().orElseThrow();
      JsonObject data = frame.getJsonObject("data");
      assertThat(data.getString("id")).isEqualTo(reply);
      assertThat(data.getString("direction")).isEqualTo("incoming");
      assertThat(data.getJsonObject("chat").getString("jid")).isEqualTo(contact);
      assertThat(data.getJsonObject("chat").getString("lid")).isEqualTo(contactLid);
      assertThat(data.getJsonObject("sender").getString("jid")).isEqualTo(contact);
      JsonObject message = data.getJsonObject("message");
      assertThat(message.getString("type")).isEqualTo("text");
      assertThat(message.getBoolean("fromMe")).isFalse();
      assertThat(message.getJsonObject("content").getString("text")).isEqualTo("hi, wagate");
      assertThat(frame.getJsonObject("instanceData").getString("instance")).isEqualTo(name);

      // the instance reads it: the contact's client sees its message go to "read"
      Api.as(instanceToken).contentType(ContentType.JSON).body(new JsonObject().put("messageId", reply).put("number", contact).encode())
          .post("/api/chat/markRead/" + name).then().statusCode(200).body("success", equalTo(true))
          .body("message", equalTo("Message marked as read successfully")).body("message_id", equalTo(reply))
          .body("chat_jid", equalTo(contact + "@s.whatsapp.net"));
      awaitEntry(contact, e -> reply.equals(e.getString("id")) && "read".equals(e.getString("state")));
    }

    // a reaction to the contact's message, then its removal; fromMe is looked up in the log (the target is incoming)
    String like = react(instanceToken, name, new JsonObject().put("number", contact).put("messageId", reply).put("reaction", "\uD83D\uDC4D"))
        .statusCode(200).body("message", equalTo("Reaction sent successfully")).body("data.messageType", equalTo("reaction"))
        .body("data.content", equalTo("\uD83D\uDC4D")).body("data.replyTo.messageId", equalTo(reply)).extract().path("data.messageId");
    JsonObject liked = awaitEntry(contact, e -> like.equals(e.getString("id")));
    assertThat(liked.getString("type")).isEqualTo("reaction");
    assertThat(liked.getJsonObject("reaction").getString("id")).isEqualTo(reply);
    assertThat(liked.getJsonObject("reaction").getString("emoji")).isEqualTo("\uD83D\uDC4D");
    String unlike = react(instanceToken, name, new JsonObject().put("number", contact).put("messageId", reply).put("reaction", "remove"))
        .statusCode(200).body("message", equalTo("Reaction removed successfully")).body("data.content", equalTo("")).extract().path("data.messageId");
    assertThat(awaitEntry(contact, e -> unlike.equals(e.getString("id"))).getJsonObject("reaction").getString("emoji")).isEmpty();
    JsonObject removal = event(name, account, "message.exchange", d -> unlike.equals(d.getString("id"))).orElseThrow().getJsonObject("message");
    assertThat(removal.getJsonObject("reaction")).isEqualTo(new JsonObject().put("messageId", reply).put("text", "").put("fromMe", false));
    assertThat(removal.containsKey("content")).isFalse();
    // messages never move the state: the instance is still connected, and the state log saw none of them
    assertThat(Api.state(account, name)).isEqualTo("connected");
    assertThat(log.states(name, account)).last().isEqualTo("connected");
  }

  @Test
  void literalErrors() {
    String account = Api.newAccount();
    String name = Api.unique("msg-err");
    String instanceToken = Api.newInstance(account, name);
    String other = Api.newInstance(account, Api.unique("msg-other"));
    JsonObject ok = new JsonObject().put("number", "5511999999999").put("message", "x");

    error(send("not-a-token", name, ok), 401, "Invalid token");
    error(send(other, name, ok), 403, "Instance token does not match this instance");
    error(send(account, Api.unique("missing"), ok), 404, "Instance not found");
    error(send(account, name, new JsonObject().put("message", "x")), 400, "Number is required");
    error(send(account, name, new JsonObject().put("number", "12-34").put("message", "x")), 400, "Invalid phone number");
    error(send(account, name, new JsonObject().put("number", "5511999999999@x.us").put("message", "x")), 400, "Invalid phone number");
    error(send(account, name, new JsonObject().put("number", "120363406289005073@g.us").put("message", "x")), 501, "Not implemented in wagate yet");
    error(send(account, name, new JsonObject().put("number", "5511999999999").put("message", "  ")), 400, "Message is required");
    error(send(account, name, ok.copy().put("delay", 61)), 400, "Invalid delay");
    error(send(account, name, ok.copy().put("delay", "soon")), 400, "Invalid request body");
    // unpaired: nothing reaches the sidecar
    error(send(instanceToken, name, ok.copy().put("to", "ignored")), 503, "Instance is not connected to WhatsApp");

    error(Api.as(account).contentType(ContentType.JSON).body(ok.encode()).post("/api/message/location/" + name).then(), 501, "Not implemented in wagate yet");
    error(markRead(account, name, new JsonObject().put("number", "5511999999999")), 400, "messageId is required");
    error(markRead(account, name, new JsonObject().put("messageId", "3EB0AA")), 400, "Number is required");
    error(markRead(instanceToken, name, new JsonObject().put("messageId", "3EB0AA").put("number", "5511999999999")), 503,
        "Instance is not connected to WhatsApp");
    error(Api.as(account).contentType(ContentType.JSON).body("{}").post("/api/chat/markChatRead/" + name).then(), 501, "Not implemented in wagate yet");
    error(Api.as(account).get("/api/chat/getMessage/" + name).then(), 501, "Not implemented in wagate yet");
    error(react(account, Api.unique("missing"), ok), 404, "Instance not found");
    error(react(account, name, new JsonObject().put("number", "5511999999999").put("reaction", "x")), 400, "messageId is required");
    error(react(account, name, new JsonObject().put("number", "5511999999999").put("messageId", "3EB0AA")), 400, "reaction is required");
    error(react(account, name, new JsonObject().put("messageId", "3EB0AA").put("reaction", "x")), 400, "Number is required");
    error(react(instanceToken, name, new JsonObject().put("number", "5511999999999").put("messageId", "3EB0AA").put("reaction", "x")), 503,
        "Instance is not connected to WhatsApp");
  }

  @Test
  void numberNotOnWhatsapp() {
    String account = Api.newAccount();
    String name = Api.unique("msg-nowa");
    Api.newInstance(account, name);
    LifecycleSteps.pair(emulator, account, name);
    String nobody = "5599" + (100_000_000 + ThreadLocalRandom.current().nextInt(900_000_000));
    error(send(account, name, new JsonObject().put("number", nobody).put("message", "anyone?")), 400, "Number not registered on WhatsApp");
    assertThat(log.of(name, account)).noneMatch(r -> r.event().startsWith("message."));
  }

  private static ValidatableResponse send(String token, String name, JsonObject body) {
    return MessageSteps.post(token, "message/text", name, body, null);
  }

  private static ValidatableResponse react(String token, String name, JsonObject body) {
    return MessageSteps.post(token, "message/reaction", name, body, null);
  }

  private static ValidatableResponse markRead(String token, String name, JsonObject body) {
    return MessageSteps.post(token, "chat/markRead", name, body, null);
  }

  private static void error(ValidatableResponse r, int status, String message) {
    MessageSteps.error(r, status, message);
  }

  private static java.util.function.Predicate<JsonObject> statusOf(String id, String status) {
    return MessageSteps.statusOf(id, status);
  }

  private Optional<JsonObject> event(String name, String account, String event, java.util.function.Predicate<JsonObject> match) {
    return MessageSteps.event(log, name, account, event, match);
  }

  private JsonObject awaitEntry(String contact, java.util.function.Predicate<JsonObject> match) {
    return MessageSteps.awaitEntry(emulator, contact, TIMEOUT, match);
  }
}
