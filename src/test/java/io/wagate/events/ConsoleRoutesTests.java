package io.wagate.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import io.wagate.support.Api;
import io.wagate.support.EmulatorControl;
import io.wagate.support.InjectEmulator;
import io.wagate.support.LifecycleSteps;
import io.wagate.support.Receiver;

/** The console's Events extensions (docs/API.md, section 3.4) against the real sidecar, emulator and PostgreSQL. */
@QuarkusTest
class ConsoleRoutesTests {
  static final Duration DELIVERY = Duration.ofSeconds(60);

  @InjectEmulator
  EmulatorControl emulator;

  @Test
  void deliveryLogListsEveryAttemptAndRedeliverySendsTheEventAgain() {
    try (Receiver receiver = Receiver.start().failNext(2, 503)) {
      String account = Api.newAccount();
      String name = Api.unique("console-log");
      Api.newInstance(account, name);
      LifecycleSteps.webhook(account, name, new JsonObject().put("url", receiver.url("/hook")));
      LifecycleSteps.pair(emulator, account, name);
      Api.await("the connected event delivered", DELIVERY, () -> receiver.accepted().stream().anyMatch(h -> "connected".equals(state(h))));

      JsonPath log = deliveries(account, name);
      List<Map<String, Object>> rows = log.getList("deliveries");
      assertThat(log.getString("message")).isEqualTo(rows.size() + " Deliveries found");
      // newest first; the oldest event was refused twice, then accepted: three attempts with their status and latency
      Map<String, Object> oldest = rows.get(rows.size() - 1);
      assertThat(oldest.get("status")).isEqualTo("delivered");
      List<Map<String, Object>> attempts = cast(oldest.get("attempts"));
      assertThat(attempts).extracting(a -> a.get("httpStatus")).containsExactly(503, 503, 200);
      assertThat(attempts).extracting(a -> a.get("attempt")).containsExactly(1, 2, 3);
      assertThat(attempts).extracting(a -> a.get("error")).containsExactly("HTTP 503", "HTTP 503", null);
      assertThat(attempts).allSatisfy(a -> assertThat((Integer) a.get("latencyMs")).isNotNull().isGreaterThanOrEqualTo(0));
      assertThat(rows).extracting(r -> r.get("label")).containsOnly("default");
      assertThat(rows).extracting(r -> r.get("event")).containsOnly("instance.state");

      long connected = rows.stream().filter(r -> "connected".equals(r.get("state"))).map(r -> ((Number) r.get("eventId")).longValue()).findFirst().orElseThrow();
      long before = receiver.accepted().stream().filter(h -> h.json().getLong("id") == connected).count();
      Api.as(account).post("/api/events/redeliver/" + name + "/" + connected).then().statusCode(200)
          .body("success", equalTo(true)).body("message", equalTo("Redelivery queued")).body("queued", equalTo(1));
      Api.await("the event delivered again", DELIVERY, () -> receiver.accepted().stream().filter(h -> h.json().getLong("id") == connected).count() > before);
      Api.await("two deliveries of the event in the log", DELIVERY, () -> deliveries(account, name).getList("deliveries", Map.class).stream()
          .filter(r -> ((Number) r.get("eventId")).longValue() == connected && "delivered".equals(r.get("status"))).count() == 2);
    }
  }

  @Test
  void timelineListsTransitionsNewestFirstWithCause() {
    String account = Api.newAccount();
    String name = Api.unique("console-tl");
    String instanceToken = Api.newInstance(account, name);
    String jid = LifecycleSteps.pair(emulator, account, name);
    emulator.kick(jid);
    Api.await("the reconnect after the kick", LifecycleSteps.TIMEOUT, () -> {
      List<String> states = timeline(instanceToken, name).getList("timeline.state");
      return states.size() > 2 && states.get(0).equals("connected") && states.contains("disconnected");
    });
    JsonPath timeline = timeline(instanceToken, name);
    assertThat(timeline.getString("message")).isEqualTo("Timeline retrieved");
    List<Long> ids = timeline.getList("timeline.id", Long.class);
    assertThat(ids).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    List<Map<String, Object>> items = timeline.getList("timeline");
    Map<String, Object> drop = items.stream().filter(i -> "disconnected".equals(i.get("state"))).findFirst().orElseThrow();
    assertThat(drop.get("previousState")).isEqualTo("connected");
    assertThat(drop.get("reason")).isNotNull();
    assertThat(items.get(items.size() - 1).get("state")).isIn("connecting", "qr_ready");
    assertThat(items).allSatisfy(i -> assertThat((String) i.get("at")).isNotBlank());
    assertThat(Api.as(account).queryParam("limit", 1).get("/api/events/timeline/" + name).then().statusCode(200).extract().jsonPath()
        .getList("timeline")).hasSize(1);
  }

  @Test
  void testEventReachesEachEnabledWebhookAtOnce() {
    try (Receiver receiver = Receiver.start()) {
      String account = Api.newAccount();
      String name = Api.unique("console-test");
      Api.newInstance(account, name);
      Api.as(account).post("/api/events/test/" + name).then().statusCode(400).body("error.message", equalTo("No enabled webhook for this instance"));
      LifecycleSteps.webhook(account, name, new JsonObject().put("url", receiver.url("/hook")).put("byEvents", true).put("secret", "s3cret"));
      JsonPath answer = Api.as(account).post("/api/events/test/" + name).then().statusCode(200).extract().jsonPath();
      assertThat(answer.getString("message")).isEqualTo("Test event sent");
      assertThat(answer.getList("results.label")).containsExactly("default");
      assertThat(answer.getList("results.httpStatus")).containsExactly(200);
      Receiver.Hit hit = receiver.hits().get(0);
      assertThat(hit.path()).isEqualTo("/hook/webhook.test");
      assertThat(hit.json().getString("event")).isEqualTo("webhook.test");
      assertThat(hit.json().getJsonObject("data").getString("instance")).isEqualTo(name);
      assertThat(hit.header("X-Wagate-Signature")).startsWith("t=");
      // not an event of the instance: nothing stored, nothing queued
      assertThat(deliveries(account, name).getList("deliveries")).isEmpty();
    }
  }

  @Test
  void scopedAndRefusedLikeEveryOtherRoute() {
    String account = Api.newAccount();
    String name = Api.unique("console-scope");
    String other = Api.unique("console-other");
    String otherToken = twoInstances(account, name, other);
    for (String path : List.of("/api/events/timeline/", "/api/events/deliveries/")) {
      RestAssured.given().get(path + name).then().statusCode(401).body("error.message", equalTo("Invalid token"));
      Api.as(otherToken).get(path + name).then().statusCode(403).body("error.message", equalTo("Instance token does not match this instance"));
      Api.as(Api.newAccount()).get(path + name).then().statusCode(404).body("error.message", equalTo("Instance not found"));
      Api.as(account).queryParam("limit", 0).get(path + name).then().statusCode(400).body("success", equalTo(false))
          .body("error.message", equalTo("Invalid limit value"));
      Api.as(account).queryParam("limit", "x").get(path + name).then().statusCode(400).body("error.message", equalTo("Invalid limit value"));
    }
    Api.as(account).post("/api/events/redeliver/" + name + "/abc").then().statusCode(404).body("error.message", equalTo("Event not found"));
    Api.as(account).post("/api/events/redeliver/" + name + "/" + Long.MAX_VALUE).then().statusCode(404).body("error.message", equalTo("Event not found"));
    Api.as(otherToken).post("/api/events/test/" + name).then().statusCode(403).body("error.message", equalTo("Instance token does not match this instance"));
    Api.as(account).get("/api/events/redeliver/" + name + "/1").then().statusCode(405).body("error.message", equalTo("Method not allowed"));
  }

  @Test
  void redeliveringAnotherInstancesEventIsNotFound() {
    String account = Api.newAccount();
    String name = Api.unique("console-own");
    String other = Api.unique("console-theirs");
    twoInstances(account, name, other);
    LifecycleSteps.connect(account, other);
    long theirs = timeline(account, other).getLong("timeline[0].id");
    Api.as(account).post("/api/events/redeliver/" + name + "/" + theirs).then().statusCode(404).body("error.message", equalTo("Event not found"));
  }

  @Test
  void demoRoutesDoNotExistOutsideDemoMode() {
    String account = Api.newAccount();
    String name = Api.unique("console-demo");
    Api.newInstance(account, name);
    RestAssured.given().get("/api/console/demo").then().statusCode(404).body("error.message", equalTo("Not found"));
    Api.as(account).get("/api/console/demo").then().statusCode(404).body("error.message", equalTo("Not found"));
    Api.as(account).get("/api/console/demo/contacts").then().statusCode(404).body("error.message", equalTo("Not found"));
    Api.as(account).contentType("application/json").body("{\"qr\":\"x\"}").post("/api/console/demo/scan/" + name).then().statusCode(404)
        .body("error.message", equalTo("Not found"));
    // a wrong method must not answer 405 with an Allow header naming the hidden route's methods
    Api.as(account).delete("/api/console/demo/contacts").then().statusCode(404).header("Allow", nullValue());
    Api.as(account).get("/api/console/demo/scan/" + name).then().statusCode(404).body("error.message", equalTo("Not found"));
  }

  @Test
  void consoleIsServedWithAStrictContentSecurityPolicy() {
    var page = RestAssured.given().redirects().follow(false).get("/console/").then().statusCode(200).extract();
    String csp = page.header("Content-Security-Policy");
    assertThat(csp).contains("script-src 'self'", "frame-ancestors 'none'", "connect-src 'self' ws://localhost:").doesNotContain("unsafe-inline");
    assertThat(page.body().asString()).contains("<script type=\"module\" src=\"app.js\"></script>").doesNotContain("<script>");
    RestAssured.given().redirects().follow(false).get("/console").then().statusCode(302).header("Location", "/console/");
    RestAssured.given().get("/webjars/qrcodejs/07f829d/qrcode.min.js").then().statusCode(200);
  }

  /** Creates both instances; returns the second one's TokenInstance. */
  private static String twoInstances(String account, String name, String other) {
    Api.newInstance(account, name);
    return Api.newInstance(account, other);
  }

  private static JsonPath deliveries(String token, String name) {
    return Api.as(token).get("/api/events/deliveries/" + name).then().statusCode(200).body("success", equalTo(true)).extract().jsonPath();
  }

  private static JsonPath timeline(String token, String name) {
    return Api.as(token).get("/api/events/timeline/" + name).then().statusCode(200).extract().jsonPath();
  }

  private static String state(Receiver.Hit h) {
    return h.json().getJsonObject("data").getString("state");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> cast(Object o) {
    return (List<Map<String, Object>>) o;
  }
}
