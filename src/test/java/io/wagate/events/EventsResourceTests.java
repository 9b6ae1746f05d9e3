package io.wagate.events;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wagate.support.Api;

/** docs/API.md, sections 3.2 and 3.3: webhook and WebSocket configuration, literal messages. */
@QuarkusTest
class EventsResourceTests {
  private static final String HOOK = "http://127.0.0.1:9/hook";

  private static RequestSpecification json(String token, JsonObject body) {
    return Api.as(token).contentType(ContentType.JSON).body(body.encode());
  }

  @Test
  void webhookUpsertByLabelIsAFullReplace() {
    String account = Api.newAccount();
    String name = Api.unique("hooks");
    Api.newInstance(account, name);
    json(account, new JsonObject().put("url", HOOK).put("authorization", "Bearer x").put("byEvents", true).put("events", new JsonArray().add("instance.state"))
        .put("mediaBase64", true)).post("/api/events/webhook/" + name).then().statusCode(200)
        .body("success", equalTo(true)).body("message", equalTo("Webhook configured"))
        .body("webhook.label", equalTo("default")).body("webhook.enabled", equalTo(true)).body("webhook.url", equalTo(HOOK))
        .body("webhook.byEvents", equalTo(true)).body("webhook.events", contains("instance.state")).body("webhook.mediaBase64", equalTo(true))
        .body("webhook.authorization", equalTo("Bearer x"));
    // full replace: fields left out go back to their defaults
    json(account, new JsonObject().put("url", HOOK + "2")).post("/api/events/webhook/" + name).then().statusCode(200)
        .body("webhook.url", equalTo(HOOK + "2")).body("webhook.byEvents", equalTo(false)).body("webhook.events", hasSize(0));
    Api.as(account).get("/api/events/getWebhook/" + name).then().statusCode(200).body("message", equalTo("Webhook configuration retrieved"))
        .body("webhooks", hasSize(1)).body("webhooks[0].url", equalTo(HOOK + "2")).body("webhooks[0].mediaBase64", equalTo(false));
  }

  @Test
  void authorizationIsReadBackDecryptedUnderBothSpellingsAndTheSecretNever() {
    String account = Api.newAccount();
    String name = Api.unique("hookread");
    Api.newInstance(account, name);
    json(account, new JsonObject().put("label", "crm").put("url", HOOK).put("authorization", "Basic dXNlcjpwdw==").put("secret", "s3cr3t"))
        .post("/api/events/webhook/" + name).then().statusCode(200)
        .body("webhook.authorization", equalTo("Basic dXNlcjpwdw==")).body("webhook", not(hasKey("secret")));
    for (String route : new String[] {"/api/events/getWebhook/", "/api/events/webhook/"}) {
      Api.as(account).get(route + name).then().statusCode(200).body("message", equalTo("Webhook configuration retrieved"))
          .body("webhooks", hasSize(1)).body("webhooks[0].authorization", equalTo("Basic dXNlcjpwdw==")).body("webhooks[0]", not(hasKey("secret")));
      Api.as(account).queryParam("label", "crm").get(route + name).then().statusCode(200)
          .body("webhook.label", equalTo("crm")).body("webhook.authorization", equalTo("Basic dXNlcjpwdw=="));
      Api.as(account).queryParam("label", "zzz").get(route + name).then().statusCode(404).body("error.message", equalTo("Webhook not found"));
      given().get(route + name).then().statusCode(401).body("error.message", equalTo("Invalid token"));
    }
    // disabling clears the authorization
    json(account, new JsonObject().put("label", "crm").put("enabled", false).put("authorization", "x")).post("/api/events/webhook/" + name).then()
        .statusCode(200).body("webhook.authorization", nullValue());
    Api.as(account).get("/api/events/webhook/" + name).then().statusCode(200).body("webhooks[0].authorization", nullValue());
  }

  @Test
  void fourthEnabledWebhookIsRefusedAndDisabledOnesDoNotCount() {
    String account = Api.newAccount();
    String name = Api.unique("limit");
    Api.newInstance(account, name);
    for (String label : new String[] {"c", "a", "b"}) {
      json(account, new JsonObject().put("label", label).put("url", HOOK)).post("/api/events/webhook/" + name).then().statusCode(200);
    }
    json(account, new JsonObject().put("label", "d").put("url", HOOK)).post("/api/events/webhook/" + name).then().statusCode(409)
        .body("success", equalTo(false)).body("error.message", equalTo("Maximum of 3 enabled webhooks per instance"));
    // re-configuring one of the three is not a fourth
    json(account, new JsonObject().put("label", "a").put("url", HOOK + "/again")).post("/api/events/webhook/" + name).then().statusCode(200);
    // soft-disable keeps the row and clears its fields; then a new one fits
    json(account, new JsonObject().put("label", "b").put("enabled", false).put("url", HOOK).put("authorization", "x")
        .put("events", new JsonArray().add("instance.state")).put("mediaBase64", true)).post("/api/events/webhook/" + name).then().statusCode(200)
        .body("webhook.label", equalTo("b")).body("webhook.enabled", equalTo(false)).body("webhook.url", nullValue())
        .body("webhook.events", hasSize(0)).body("webhook.mediaBase64", equalTo(false));
    json(account, new JsonObject().put("label", "d").put("url", HOOK)).post("/api/events/webhook/" + name).then().statusCode(200);
    Api.as(account).get("/api/events/getWebhook/" + name).then().statusCode(200)
        .body("webhooks.label", contains("a", "b", "c", "d")).body("webhooks.enabled", contains(true, false, true, true));
    Api.as(account).queryParam("label", "b").get("/api/events/getWebhook/" + name).then().statusCode(200)
        .body("webhook.label", equalTo("b")).body("webhook.enabled", equalTo(false)).body("webhook.url", nullValue());
    Api.as(account).queryParam("label", "zzz").get("/api/events/getWebhook/" + name).then().statusCode(404)
        .body("error.message", equalTo("Webhook not found"));
  }

  @Test
  void webhookValidation() {
    String account = Api.newAccount();
    String name = Api.unique("hookval");
    String instanceToken = Api.newInstance(account, name);
    for (String url : new String[] {"ftp://example.com/x", "not a url", "", "http://"}) {
      json(account, new JsonObject().put("url", url)).post("/api/events/webhook/" + name).then().statusCode(400)
          .body("error.message", equalTo("Invalid webhook URL"));
    }
    json(account, new JsonObject()).post("/api/events/webhook/" + name).then().statusCode(400).body("error.message", equalTo("Invalid webhook URL"));
    json(account, new JsonObject().put("url", HOOK).put("events", new JsonArray().add("instance.state").add("bogus.event")))
        .post("/api/events/webhook/" + name).then().statusCode(400).body("error.message", equalTo("Invalid event: bogus.event"));
    Api.as(account).contentType(ContentType.JSON).body("{\"url\": 5, \"events\": \"x\"").post("/api/events/webhook/" + name).then().statusCode(400)
        .body("error.message", equalTo("Invalid request body"));
    json(account, new JsonObject().put("url", HOOK)).post("/api/events/webhook/" + Api.unique("ghost")).then().statusCode(404)
        .body("error.message", equalTo("Instance not found"));
    // the instance's own token may configure it
    json(instanceToken, new JsonObject().put("url", HOOK)).post("/api/events/webhook/" + name).then().statusCode(200);
    given().contentType(ContentType.JSON).body("{}").post("/api/events/webhook/" + name).then().statusCode(401)
        .body("error.message", equalTo("Invalid token"));
  }

  @Test
  void websocketConfiguration() {
    String account = Api.newAccount();
    String name = Api.unique("wscfg");
    Api.newInstance(account, name);
    Api.as(account).get("/api/events/getWebsocket/" + name).then().statusCode(404)
        .body("error.message", equalTo("WebSocket not configured for this instance"));
    json(account, new JsonObject().put("enabled", true).put("events", new JsonArray().add("instance.state")).put("mediaBase64", true))
        .post("/api/events/websocket/" + name).then().statusCode(200).body("message", equalTo("WebSocket configured"))
        .body("websocket.enabled", equalTo(true)).body("websocket.events", contains("instance.state")).body("websocket.mediaBase64", equalTo(true));
    Api.as(account).get("/api/events/getWebsocket/" + name).then().statusCode(200).body("message", equalTo("WebSocket configuration retrieved"))
        .body("websocket.enabled", equalTo(true)).body("websocket.events", contains("instance.state"));
    json(account, new JsonObject().put("enabled", false).put("events", new JsonArray().add("instance.state")).put("mediaBase64", true))
        .post("/api/events/websocket/" + name).then().statusCode(200)
        .body("websocket.enabled", equalTo(false)).body("websocket.events", hasSize(0)).body("websocket.mediaBase64", equalTo(false));
    json(account, new JsonObject().put("events", new JsonArray().add("nope"))).post("/api/events/websocket/" + name).then().statusCode(400)
        .body("error.message", equalTo("Invalid event: nope"));
  }

  @Test
  void inlineBlocksOfCreate() {
    String account = Api.newAccount();
    String name = Api.unique("inline");
    json(account, new JsonObject().put("name", name).put("webhookURL", HOOK).put("webhookByEvents", true)
        .put("webhookEvents", new JsonArray().add("instance.state")).put("websocketEnabled", true)
        .put("websocketEvents", new JsonArray().add("instance.state"))).post("/api/instance/new").then().statusCode(201)
        .body("webhook.enabled", equalTo(true)).body("webhook.url", equalTo(HOOK)).body("websocket.enabled", equalTo(true));
    Api.as(account).queryParam("label", "default").get("/api/events/getWebhook/" + name).then().statusCode(200)
        .body("webhook.url", equalTo(HOOK)).body("webhook.byEvents", equalTo(true));
    Api.as(account).get("/api/events/getWebsocket/" + name).then().statusCode(200).body("websocket.events", contains("instance.state"));
    // a failing block does not abort the creation; it comes back disabled
    String other = Api.unique("inline-bad");
    json(account, new JsonObject().put("name", other).put("webhookURL", "ftp://x").put("websocketEvents", new JsonArray().add("bad")))
        .post("/api/instance/new").then().statusCode(201).body("webhook.enabled", equalTo(false)).body("websocket.enabled", equalTo(false));
  }

  @Test
  void websocketUpgradeIsCheckedBeforeSwitchingProtocols() {
    String account = Api.newAccount();
    String name = Api.unique("wsguard");
    String instanceToken = Api.newInstance(account, name);
    String sibling = Api.unique("wsguard-sib");
    Api.newInstance(account, sibling);
    given().get("/ws/" + name).then().statusCode(401).body("error.message", equalTo("Invalid token"));
    Api.as(account).get("/ws/" + name).then().statusCode(400)
        .body("error.message", equalTo("WebSocket is not enabled for this instance. Configure it first using POST /api/events/websocket/" + name));
    Api.as(account).get("/ws/" + Api.unique("ghost")).then().statusCode(404).body("error.message", equalTo("Instance not found"));
    Api.as(instanceToken).get("/ws/" + sibling).then().statusCode(403).body("error.message", equalTo("Instance token does not match this instance"));
    Api.as(instanceToken).get("/ws").then().statusCode(401).body("error.message", equalTo("Invalid token"));
    json(account, new JsonObject().put("enabled", true)).post("/api/events/websocket/" + name).then().statusCode(200);
    Api.as(account).queryParam("since", "abc").get("/ws/" + name).then().statusCode(400).body("error.message", equalTo("Invalid since value"));
    // a plain GET that passes every check is told what is missing, not 404
    Api.as(account).get("/ws/" + name).then().statusCode(426).header("Upgrade", equalTo("websocket")).body("success", equalTo(false))
        .body("error.message", equalTo("WebSocket upgrade required"));
    Api.as(account).get("/ws").then().statusCode(426).body("error.message", equalTo("WebSocket upgrade required"));
    // the upgrade counts against the global bucket and carries the rate-limit headers
    Api.as(account).get("/ws/" + Api.unique("ghost")).then().statusCode(404).header("X-RateLimit-Limit", equalTo("100000"));
  }
}
