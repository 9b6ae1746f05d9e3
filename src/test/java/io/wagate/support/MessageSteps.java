package io.wagate.support;

import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;

/** Calls of the Messages routes and waits on the emulator's contact logs, shared by the message tests. */
public final class MessageSteps {
  private MessageSteps() {
  }

  /** A new account with a paired instance, and a virtual contact to talk to. */
  public record Paired(String account, String name, String token, String contact, String phone) {
  }

  public static Paired pairedWithContact(EmulatorControl emulator, String prefix, String contactName, Duration timeout) {
    String account = Api.newAccount();
    String name = Api.unique(prefix);
    String token = Api.newInstance(account, name);
    String phone = LifecycleSteps.phone();
    Api.pair(emulator, account, name, phone, timeout);
    String contact = LifecycleSteps.phone();
    emulator.createContact(contact, contactName);
    return new Paired(account, name, token, contact, phone);
  }

  /** POSTs {@code body} to {@code /api/<route>/<name>}, with an {@code Idempotency-Key} when {@code key} is not null. */
  public static ValidatableResponse post(String token, String route, String name, JsonObject body, String key) {
    RequestSpecification r = Api.as(token).contentType(ContentType.JSON).body(body.encode());
    if (key != null) {
      r = r.header("Idempotency-Key", key);
    }
    return r.post("/api/" + route + "/" + name).then();
  }

  public static void error(ValidatableResponse r, int status, String message) {
    r.statusCode(status).body("success", equalTo(false)).body("error.message", equalTo(message));
  }

  public static Predicate<JsonObject> statusOf(String id, String status) {
    return d -> status.equals(d.getString("status")) && d.getJsonArray("messageIds").contains(id);
  }

  public static Optional<JsonObject> event(EventLog log, String name, String account, String event, Predicate<JsonObject> match) {
    return log.of(name, account).stream().filter(r -> event.equals(r.event())).map(EventLog.Row::data).filter(match).findFirst();
  }

  public static long count(EventLog log, String name, String account, String event, Predicate<JsonObject> match) {
    return log.of(name, account).stream().filter(r -> event.equals(r.event())).map(EventLog.Row::data).filter(match).count();
  }

  /** Waits on the emulator's long poll until the contact's log has an entry that matches. */
  public static JsonObject awaitEntry(EmulatorControl emulator, String contact, Duration timeout, Predicate<JsonObject> match) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long after = 0;
    while (System.nanoTime() < deadline) {
      List<JsonObject> entries = emulator.contactMessages(contact, after, 10_000).stream().map(JsonObject.class::cast).toList();
      Optional<JsonObject> found = entries.stream().filter(match).findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      after = entries.stream().mapToLong(e -> e.getLong("seq")).max().orElse(after);
    }
    throw new AssertionError("contact " + contact + " never logged the message");
  }

  /** A LID JID as the events carry it: {@code <id>@lid}, its device suffix dropped. */
  public static String bareLid(String lid) {
    int colon = lid.indexOf(':');
    return colon < 0 ? lid : lid.substring(0, colon) + lid.substring(lid.indexOf('@'));
  }

  /** Every entry of the contact's log so far. */
  public static List<JsonObject> entries(EmulatorControl emulator, String contact) {
    return emulator.contactMessages(contact, 0, 0).stream().map(JsonObject.class::cast).toList();
  }
}
