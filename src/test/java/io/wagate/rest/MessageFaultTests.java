package io.wagate.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.wagate.support.Api;
import io.wagate.support.EmulatorControl;
import io.wagate.support.EventLog;
import io.wagate.support.InjectEmulator;
import io.wagate.support.MessageSteps;
import io.wagate.support.MessageSteps.Paired;

/**
 * The emulator's message faults seen through the gateway: a dropped stanza is acked (sent) but never reported
 * delivered, a corrupted one is retried by whatsmeow and arrives once, in both directions.
 */
@QuarkusTest
class MessageFaultTests {
  static final Duration TIMEOUT = Duration.ofSeconds(40);

  @InjectEmulator
  EmulatorControl emulator;

  @Inject
  EventLog log;

  @AfterEach
  void clearFaults() {
    emulator.clearFaults();
  }

  @Test
  void droppedMessageIsSentButNeverDelivered() {
    Paired p = warmedUp("fault-drop");
    emulator.faults(new JsonObject().put("dropMessages", 1));
    String dropped = send(p, "lost on the way");
    assertThat(event(p, "message.status", MessageSteps.statusOf(dropped, "sent"))).isNotNull();
    String kept = send(p, "after the lost one");
    // the relay keeps each device's order: once the later message is delivered, the dropped one never will be
    MessageSteps.awaitEntry(emulator, p.contact(), TIMEOUT, e -> kept.equals(e.getString("id")));
    Api.await("delivered for the later message", TIMEOUT, () -> event(p, "message.status", MessageSteps.statusOf(kept, "delivered")) != null);
    assertThat(MessageSteps.entries(emulator, p.contact())).noneMatch(e -> dropped.equals(e.getString("id")));
    assertThat(statuses(p, dropped)).containsExactly("sent");
    assertThat(MessageSteps.count(log, p.name(), p.account(), "message.exchange", d -> dropped.equals(d.getString("id")))).isEqualTo(1);
  }

  @Test
  void corruptedOutgoingMessageIsRetriedAndArrivesOnce() {
    Paired p = warmedUp("fault-corrupt-out");
    emulator.faults(new JsonObject().put("corruptMessages", 1));
    String bad = send(p, "corrupted once");
    JsonObject got = MessageSteps.awaitEntry(emulator, p.contact(), TIMEOUT, e -> bad.equals(e.getString("id")));
    assertThat(got.getString("text")).isEqualTo("corrupted once");
    String marker = send(p, "marker");
    MessageSteps.awaitEntry(emulator, p.contact(), TIMEOUT, e -> marker.equals(e.getString("id")));
    Api.await("delivered for the retried message", TIMEOUT, () -> event(p, "message.status", MessageSteps.statusOf(bad, "delivered")) != null);
    Api.await("delivered for the marker", TIMEOUT, () -> event(p, "message.status", MessageSteps.statusOf(marker, "delivered")) != null);
    // the contact could not decrypt the first copy: it asked for a retry, and its client decrypted one copy in all
    assertThat(retryReceipts(p.contact(), bad)).isPositive();
    assertThat(MessageSteps.entries(emulator, p.contact()).stream().filter(e -> bad.equals(e.getString("id"))).map(e -> e.getInteger("copies")))
        .containsExactly(1);
    assertThat(MessageSteps.count(log, p.name(), p.account(), "message.exchange", d -> bad.equals(d.getString("id")))).isEqualTo(1);
    assertNeverBackwards(statuses(p, bad));
    assertThat(statuses(p, bad)).containsSubsequence("sent", "delivered");
  }

  @Test
  void corruptedIncomingMessageIsRetriedAndLoggedOnce() {
    Paired p = warmedUp("fault-corrupt-in");
    emulator.faults(new JsonObject().put("corruptMessages", 1));
    String bad = emulator.contactSend(p.contact(), p.phone(), "corrupted on the way in");
    // the marker waits for the resend: whatsmeow encrypts a retry without its send lock, so a send racing it can reuse
    // the ratchet counter and the receiver rejects one of the two as an old counter (seen here once)
    Api.await("the resent message in the log", TIMEOUT, () -> exchanges(p, bad) > 0);
    String marker = emulator.contactSend(p.contact(), p.phone(), "marker in");
    Api.await("the marker in the log", TIMEOUT, () -> exchanges(p, marker) > 0);
    // the instance's sidecar could not decrypt the first copy and asked for it again
    assertThat(retryReceipts(p.phone(), bad)).isPositive();
    JsonObject in = event(p, "message.exchange", d -> bad.equals(d.getString("id")));
    assertThat(in.getJsonObject("message").getJsonObject("content").getString("text")).isEqualTo("corrupted on the way in");
    assertThat(in.getJsonObject("message").getBoolean("fromMe")).isFalse();
    // the contact's resend is acknowledged with a delivery receipt, and the log holds each message once
    MessageSteps.awaitEntry(emulator, p.contact(), TIMEOUT, e -> bad.equals(e.getString("id")) && "delivered".equals(e.getString("state")));
    assertThat(exchanges(p, bad)).isEqualTo(1);
    assertThat(exchanges(p, marker)).isEqualTo(1);
  }

  /** A paired instance and a contact that have exchanged one message, so the Signal sessions exist on both sides. */
  private Paired warmedUp(String prefix) {
    Paired p = MessageSteps.pairedWithContact(emulator, prefix, "Faulty", TIMEOUT);
    String first = send(p, "warm-up");
    Api.await("warm-up delivered", TIMEOUT, () -> event(p, "message.status", MessageSteps.statusOf(first, "delivered")) != null);
    String back = emulator.contactSend(p.contact(), p.phone(), "warm-up back");
    Api.await("warm-up reply", TIMEOUT, () -> exchanges(p, back) == 1);
    return p;
  }

  private static String send(Paired p, String text) {
    return MessageSteps.post(p.token(), "message/text", p.name(), new JsonObject().put("number", p.contact()).put("message", text), null)
        .statusCode(200).body("status", equalTo("sent")).extract().path("data.messageId");
  }

  /** Retry receipts the emulator relayed from a device of {@code phone} for message {@code id}. */
  private long retryReceipts(String phone, String id) {
    return emulator.traffic().stream().map(JsonObject.class::cast).filter(e -> "receipt".equals(e.getString("kind")) && "retry".equals(e.getString("type"))
        && id.equals(e.getString("id")) && e.getString("from", "").startsWith(phone)).count();
  }

  /** The {@code message.status} values logged for {@code id}, in log order. */
  private List<String> statuses(Paired p, String id) {
    return log.of(p.name(), p.account()).stream().filter(r -> "message.status".equals(r.event()) && r.data().getJsonArray("messageIds").contains(id))
        .map(r -> r.data().getString("status")).toList();
  }

  /** sent < delivered < read < played, each at most once; retry only before delivered. */
  private static void assertNeverBackwards(List<String> statuses) {
    List<String> ranked = List.of("sent", "delivered", "read", "played");
    int highest = -1;
    for (String s : statuses) {
      int rank = ranked.indexOf(s);
      if (rank >= 0) {
        assertThat(rank).as("status %s after a higher or equal one in %s", s, statuses).isGreaterThan(highest);
        highest = rank;
      } else {
        assertThat(highest).as("status %s after delivered in %s", s, statuses).isLessThan(1);
      }
    }
  }

  private long exchanges(Paired p, String id) {
    return MessageSteps.count(log, p.name(), p.account(), "message.exchange", d -> id.equals(d.getString("id")));
  }

  private JsonObject event(Paired p, String event, Predicate<JsonObject> match) {
    return MessageSteps.event(log, p.name(), p.account(), event, match).orElse(null);
  }
}
