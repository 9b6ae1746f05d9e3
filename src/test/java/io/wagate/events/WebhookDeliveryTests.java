package io.wagate.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagate.support.Api;
import io.wagate.support.EmulatorControl;
import io.wagate.support.EventLog;
import io.wagate.support.InjectEmulator;
import io.wagate.support.LifecycleSteps;
import io.wagate.support.Prometheus;
import io.wagate.support.Receiver;

/** Webhook delivery from the outbox to a real HTTP receiver on loopback. */
@QuarkusTest
class WebhookDeliveryTests {
  static final Duration DELIVERY = Duration.ofSeconds(60);
  static final String SECRET = "wh-secret-1";

  @InjectEmulator
  EmulatorControl emulator;

  @Inject
  EventLog log;

  @Inject
  Pool pool;

  @Test
  void receiverFailingThreeTimesThenAcceptingGetsEveryEventInOrderSigned() {
    try (Receiver receiver = Receiver.start().failNext(3, 503)) {
      String metricsBefore = Prometheus.scrape();
      String account = Api.newAccount();
      String name = Api.unique("wh-order");
      String instanceToken = Api.newInstance(account, name);
      LifecycleSteps.webhook(account, name, new JsonObject().put("url", receiver.url("/hook")).put("authorization", "Bearer hook-auth").put("secret", SECRET));
      LifecycleSteps.pair(emulator, account, name);

      Api.await("every event accepted", DELIVERY, () -> {
        List<Long> stored = ids(name, account);
        return !stored.isEmpty() && receiver.accepted().stream().map(h -> h.json().getLong("id")).toList().equals(stored);
      });
      List<Receiver.Hit> hits = receiver.hits();
      long first = ids(name, account).get(0);
      // the first event was refused three times, then accepted; nothing overtook it meanwhile
      assertThat(hits.subList(0, 4)).allSatisfy(h -> assertThat(h.json().getLong("id")).isEqualTo(first));
      assertThat(hits.subList(0, 3)).allSatisfy(h -> assertThat(h.answered()).isEqualTo(503));
      assertThat(hits.stream().map(h -> h.json().getLong("id")).toList()).isSorted();
      assertThat(hits).allSatisfy(h -> {
        assertThat(h.path()).isEqualTo("/hook");
        assertThat(h.header("Authorization")).isEqualTo("Bearer hook-auth");
        assertThat(h.header("Content-Type")).startsWith("application/json");
        assertThat(h.header("X-Wagate-Event-Id")).isEqualTo(Long.toString(h.json().getLong("id")));
        assertThat(verified(h)).as("signature of event %s", h.json().getLong("id")).isTrue();
        assertThat(h.json().getString("event")).isEqualTo("instance.state");
        assertThat(h.json().getJsonObject("instanceData").getString("instance")).isEqualTo(name);
        assertThat(h.json().getJsonObject("instanceData").getString("token")).isEqualTo(instanceToken);
      });
      assertThat(receiver.accepted().stream().map(h -> h.json().getJsonObject("data").getString("state")).toList()).contains("qr_ready", "connected");
      // attempts (timer per HTTP result) and outcomes moved by at least this test's three refusals and its deliveries
      String metricsAfter = Prometheus.scrape();
      assertThat(increase(metricsBefore, metricsAfter, "wagate_webhook_attempts_seconds_count", Map.of("result", "5xx"))).isGreaterThanOrEqualTo(3);
      assertThat(increase(metricsBefore, metricsAfter, "wagate_webhook_attempts_seconds_count", Map.of("result", "2xx"))).isGreaterThanOrEqualTo(2);
      assertThat(increase(metricsBefore, metricsAfter, "wagate_webhook_deliveries_total", Map.of("outcome", "retry"))).isGreaterThanOrEqualTo(3);
      assertThat(increase(metricsBefore, metricsAfter, "wagate_webhook_deliveries_total", Map.of("outcome", "delivered"))).isGreaterThanOrEqualTo(2);
      assertThat(Prometheus.value(metricsAfter, "wagate_webhook_attempts_seconds_max", Map.of("result", "2xx"))).isGreaterThan(0);
    }
  }

  static double increase(String before, String after, String name, Map<String, String> labels) {
    double now = Prometheus.value(after, name, labels);
    assertThat(now).as(name + labels + " is exported").isGreaterThanOrEqualTo(0);
    return now - Math.max(0, Prometheus.value(before, name, labels));
  }

  @Test
  void filtersAndByEvents() {
    try (Receiver receiver = Receiver.start()) {
      String account = Api.newAccount();
      String name = Api.unique("wh-filter");
      Api.newInstance(account, name);
      LifecycleSteps.webhook(account, name, new JsonObject().put("label", "other").put("url", receiver.url("/other"))
          .put("events", new JsonArray().add("message.exchange")));
      LifecycleSteps.webhook(account, name, new JsonObject().put("label", "state").put("url", receiver.url("/state"))
          .put("events", new JsonArray().add("instance.state")).put("byEvents", true));
      LifecycleSteps.webhook(account, name, new JsonObject().put("label", "off").put("url", receiver.url("/off")).put("enabled", false));
      LifecycleSteps.connect(account, name);

      Api.await("the state webhook got every event", DELIVERY,
          () -> receiver.accepted().stream().map(h -> h.json().getLong("id")).toList().equals(ids(name, account)));
      assertThat(receiver.hits()).allSatisfy(h -> assertThat(h.path()).isEqualTo("/state/instance.state"));
      assertThat(receiver.hits()).allSatisfy(h -> assertThat(h.header("X-Wagate-Signature")).isNull());
      // outbox rows are written with the event: a filtered-out or disabled webhook never gets one
      long rows = pool.preparedQuery("SELECT count(*) FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id"
          + " WHERE w.label IN ('other', 'off') AND d.instance_id = (SELECT id FROM instance WHERE name = $1)").execute(Tuple.of(name))
          .map(r -> r.iterator().next().getLong(0)).await().atMost(Duration.ofSeconds(10));
      assertThat(rows).isZero();
      Api.as(account).delete("/api/instance/delete/" + name).then().statusCode(200);
    }
  }

  @Test
  void aRejecting4xxIsNotRetriedAndDoesNotBlockTheRest() {
    try (Receiver receiver = Receiver.start().failNext(1, 400)) {
      String account = Api.newAccount();
      String name = Api.unique("wh-400");
      Api.newInstance(account, name);
      LifecycleSteps.webhook(account, name, new JsonObject().put("url", receiver.url("/h")));
      LifecycleSteps.pair(emulator, account, name);
      Api.await("all events answered", DELIVERY, () -> {
        List<Long> stored = ids(name, account);
        return receiver.hits().stream().map(h -> h.json().getLong("id")).toList().equals(stored) && receiver.accepted().size() == stored.size() - 1;
      });
      assertThat(receiver.hits().get(0).answered()).isEqualTo(400);
      String status = pool.preparedQuery("SELECT status FROM webhook_delivery WHERE event_id = $1").execute(Tuple.of(receiver.hits().get(0).json().getLong("id")))
          .map(r -> r.iterator().next().getString(0)).await().atMost(Duration.ofSeconds(10));
      assertThat(status).isEqualTo("rejected");
    }
  }

  private List<Long> ids(String name, String account) {
    return log.of(name, account).stream().map(EventLog.Row::id).toList();
  }

  /** What a receiver does: recompute HMAC-SHA256 over "t.body" and compare, within a 5-minute window. */
  static boolean verified(Receiver.Hit h) {
    String header = h.header("X-Wagate-Signature");
    if (header == null || !header.matches("^t=\\d+,v1=[0-9a-f]{64}$")) {
      return false;
    }
    long t = Long.parseLong(header.substring(2, header.indexOf(',')));
    String v1 = header.substring(header.indexOf("v1=") + 3);
    boolean fresh = Math.abs(System.currentTimeMillis() / 1000 - t) < 300;
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] expected = mac.doFinal((t + "." + h.body()).getBytes(StandardCharsets.UTF_8));
      return fresh && java.security.MessageDigest.isEqual(java.util.HexFormat.of().parseHex(v1), expected);
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }
}
