package io.wagate.rest;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wagate.support.Api;

/** §2.1, §2.4, §2.7–§2.9: create with inline blocks, quota and duplicates, list, settings, proxy, S3. */
@QuarkusTest
class InstanceRoutesTests {
  static String account;

  @BeforeEach
  void account() {
    if (account == null) {
      account = Api.newAccount(50, 100_000);
    }
  }

  @Test
  void createWithInlineBlocks() {
    String name = Api.unique("blocks");
    JsonObject body = new JsonObject().put("name", name).put("token", Api.unique("own-token-abcdef-0123456789abcdef"))
        .put("webhookEnabled", true).put("webhookURL", "https://hooks.example.com/in").put("webhookEvents", new JsonArray().add("instance.state"))
        .put("websocketEnabled", true).put("websocketEvents", new JsonArray().add("instance.state"))
        .put("proxyEnabled", true).put("proxyHost", "proxy.local").put("proxyPort", "1080").put("proxyProtocol", "socks5")
        .put("proxyUsername", "user1").put("proxyPassword", "secret")
        .put("keepOnlineStatus", true).put("chatwootEnabled", true).put("chatwootUrl", "https://chatwoot.example.com");
    Api.as(account).contentType(ContentType.JSON).body(body.encode()).post("/api/instance/new").then().statusCode(201)
        .body("success", equalTo(true)).body("message", equalTo("Instance created"))
        .body("instance.name", equalTo(name)).body("instance.token", equalTo(body.getString("token"))).body("instance.status", equalTo("disconnected"))
        .body("data.token", equalTo(body.getString("token")))
        .body("webhook.label", equalTo("default")).body("webhook.enabled", equalTo(true)).body("webhook.url", equalTo("https://hooks.example.com/in"))
        .body("webhook.byEvents", equalTo(false)).body("webhook.events", contains("instance.state")).body("webhook.mediaBase64", equalTo(false))
        .body("websocket.enabled", equalTo(true)).body("websocket.events", contains("instance.state"))
        .body("proxy.enabled", equalTo(true)).body("proxy", not(hasKey("password")))
        .body("settings.keepOnlineStatus", equalTo(true)).body("settings.disableHistorySync", equalTo(true))
        .body("chatwoot.status", equalTo("error")).body("chatwoot.error", equalTo("integration gateway not configured"));
    Api.as(account).get("/api/instance/getProxy/" + name).then().statusCode(200)
        .body("proxy.host", equalTo("proxy.local")).body("proxy.port", equalTo("1080")).body("proxy.username", equalTo("user1"));
  }

  @Test
  void failingInlineBlockDoesNotAbortCreation() {
    String name = Api.unique("badblock");
    JsonObject body = new JsonObject().put("name", name).put("webhookEnabled", true).put("webhookURL", "ftp://nope")
        .put("websocketEnabled", true).put("websocketEvents", new JsonArray().add("no.such.event"));
    Api.as(account).contentType(ContentType.JSON).body(body.encode()).post("/api/instance/new").then().statusCode(201)
        .body("webhook.enabled", equalTo(false)).body("websocket.enabled", equalTo(false));
    Api.list(account, name).then().statusCode(200).body("instances[0].webhook.enabled", equalTo(false))
        .body("instances[0].websocket.enabled", equalTo(false));
  }

  @Test
  void blocksAppearOnlyWhenSent() {
    String name = Api.unique("plain");
    Api.as(account).contentType(ContentType.JSON).body(new JsonObject().put("name", name).encode()).post("/api/instance/new").then().statusCode(201)
        .body("$", not(hasKey("webhook"))).body("$", not(hasKey("websocket"))).body("$", not(hasKey("chatwoot")))
        .body("instance.token", notNullValue());
  }

  @Test
  void duplicatesAre409() {
    String name = Api.unique("dup");
    String token = Api.unique("dup-token-xyz-0123456789abcdef");
    Api.as(account).contentType(ContentType.JSON).body(new JsonObject().put("name", name).put("token", token).encode()).post("/api/instance/new")
        .then().statusCode(201);
    Api.as(account).contentType(ContentType.JSON).body(new JsonObject().put("name", name).encode()).post("/api/instance/new").then().statusCode(409)
        .body("error.message", equalTo("Instance name already exists"));
    Api.as(account).contentType(ContentType.JSON).body(new JsonObject().put("name", Api.unique("dup2")).put("token", token).encode())
        .post("/api/instance/new").then().statusCode(409).body("error.message", equalTo("Instance token already in use"));
    // another account's token (the bootstrap one) is also in use
    Api.as(account).contentType(ContentType.JSON).body(new JsonObject().put("name", Api.unique("dup3")).put("token", "test-bootstrap-token-for-the-test-profile").encode())
        .post("/api/instance/new").then().statusCode(409).body("error.message", equalTo("Instance token already in use"));
  }

  @Test
  void shortOwnTokenIs400() {
    String name = Api.unique("shorttok");
    Api.as(account).contentType(ContentType.JSON).body(new JsonObject().put("name", name).put("token", "a".repeat(31)).encode())
        .post("/api/instance/new").then().statusCode(400).body("success", equalTo(false))
        .body("error.message", equalTo("Instance token must be at least 32 characters"));
    Api.list(account, name).then().statusCode(404);
    Api.as(account).contentType(ContentType.JSON).body(new JsonObject().put("name", name).put("token", "a".repeat(32) + name).encode())
        .post("/api/instance/new").then().statusCode(201);
  }

  @Test
  void quotaIs403() {
    String small = Api.newAccount(1, 1000);
    Api.newInstance(small, Api.unique("q1"));
    Api.as(small).contentType(ContentType.JSON).body(new JsonObject().put("name", Api.unique("q2")).encode()).post("/api/instance/new").then()
        .statusCode(403).body("error.message", equalTo("Account instance quota exceeded"));
  }

  @Test
  void listMessagesAndFilters() {
    String own = Api.newAccount(10, 1000);
    String a = Api.unique("la");
    String b = Api.unique("lb");
    String aToken = Api.newInstance(own, a);
    Api.newInstance(own, b);
    Api.as(own).get("/api/instance/list").then().statusCode(200).body("message", equalTo("2 Instances found")).body("instances.name", contains(a, b));
    Api.list(own, a).then().statusCode(200).body("message", equalTo("1 Instance found"))
        .body("instances[0].token", equalTo(aToken)).body("instances[0].connection.state", equalTo("disconnected"))
        .body("instances[0].connection.lastError", nullValue()).body("instances[0].settings.disableHistorySync", equalTo(true))
        .body("instances[0].proxy.enabled", equalTo(false)).body("instances[0].s3.enabled", equalTo(false));
    Api.list(own, a + ",nope-" + b + "," + b).then().statusCode(200).body("message", equalTo("2 Instances found"));
    Api.list(own, "missing-one").then().statusCode(404).body("error.message", equalTo("Instance not found"));
    // an instance token sees only its own instance, whatever it asks for
    Api.as(aToken).queryParam("instanceName", b).get("/api/instance/list").then().statusCode(200).body("instances.name", contains(a));
    String empty = Api.newAccount(10, 1000);
    Api.as(empty).get("/api/instance/list").then().statusCode(200).body("message", equalTo("0 Instances found"));
  }

  @Test
  void settingsRoundTrip() {
    String name = Api.unique("settings");
    Api.newInstance(account, name);
    Api.as(account).get("/api/instance/getSettings/" + name).then().statusCode(200)
        .body("message", equalTo("Settings retrieved successfully")).body("settings.autoRejectCalls", equalTo(false))
        .body("settings.callRejectMessage", equalTo("")).body("settings.disableHistorySync", equalTo(true));
    Api.as(account).contentType(ContentType.JSON).body("{\"autoRejectCalls\": true, \"callRejectMessage\": \"busy\"}")
        .post("/api/instance/settings/" + name).then().statusCode(200).body("message", equalTo("Settings updated successfully"))
        .body("settings.autoRejectCalls", equalTo(true)).body("settings.callRejectMessage", equalTo("busy"))
        .body("settings.ignoreStatus", equalTo(false));
    Api.as(account).get("/api/instance/getSettings/" + name).then().body("settings.autoRejectCalls", equalTo(true));
  }

  @Test
  void proxyRoundTrip() {
    String name = Api.unique("proxy");
    Api.newInstance(account, name);
    Api.as(account).get("/api/instance/getProxy/" + name).then().statusCode(200)
        .body("message", equalTo("Proxy configuration retrieved successfully")).body("proxy.enabled", equalTo(false))
        .body("proxy.host", nullValue()).body("proxy.port", nullValue()).body("proxy.protocol", nullValue()).body("proxy.username", nullValue());
    Api.as(account).contentType(ContentType.JSON)
        .body("{\"enabled\": true, \"host\": \"10.0.0.1\", \"port\": \"3128\", \"protocol\": \"http\", \"username\": \"u\", \"password\": \"p\"}")
        .post("/api/instance/proxy/" + name).then().statusCode(200).body("message", equalTo("Proxy configuration updated"))
        .body("proxy.enabled", equalTo(true)).body("proxy.port", equalTo("3128")).body("proxy", not(hasKey("password")));
    Api.as(account).contentType(ContentType.JSON).body("{\"enabled\": false}").post("/api/instance/proxy/" + name).then().statusCode(200)
        .body("proxy.enabled", equalTo(false)).body("proxy.host", nullValue());
  }

  @Test
  void s3RoundTrip() {
    String name = Api.unique("s3");
    Api.newInstance(account, name);
    Api.as(account).get("/api/instance/getS3/" + name).then().statusCode(200).body("success", equalTo(true)).body("s3.enabled", equalTo(false));
    Api.as(account).contentType(ContentType.JSON)
        .body("{\"enabled\": true, \"region\": \"eu-west-1\", \"bucket\": \"b\", \"accessKey\": \"AK\", \"secretKey\": \"SK\", \"endpoint\": \"https://s3.local\","
            + " \"pathPrefix\": \"media/\"}")
        .post("/api/instance/s3/" + name).then().statusCode(200).body("message", equalTo("S3 configuration updated"))
        .body("s3.bucket", equalTo("b")).body("s3", not(hasKey("secretKey")));
    Api.as(account).get("/api/instance/getS3/" + name).then().statusCode(200).body("s3.enabled", equalTo(true)).body("s3.accessKey", equalTo("AK"))
        .body("s3", hasKey("secretKey")).body("s3.secretKey", nullValue());
    Api.as(account).contentType(ContentType.JSON).body("{\"enabled\": false}").post("/api/instance/s3/" + name).then().statusCode(200);
    Api.as(account).get("/api/instance/getS3/" + name).then().body("s3.enabled", equalTo(false)).body("s3.accessKey", nullValue());
  }
}
