package io.wagate.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagate.support.Api;
import io.wagate.support.EmulatorControl;
import io.wagate.support.InjectEmulator;
import io.wagate.support.LifecycleSteps;
import io.wagate.support.MessageSteps;
import io.wagate.support.Receiver;

/** With private targets refused (the production default): at configuration time and again at delivery time. */
@QuarkusTest
@TestProfile(PrivateTargetsRefusedProfile.class)
class SsrfTests {
  @Inject
  Pool pool;

  @InjectEmulator
  EmulatorControl emulator;

  @Test
  void loopbackAndPrivateTargetsAreRefusedWhenConfigured() {
    String account = Api.newAccount();
    String name = Api.unique("ssrf");
    Api.newInstance(account, name);
    for (String url : new String[] {"http://127.0.0.1:8080/x", "http://localhost/x", "http://10.1.2.3/x", "http://192.168.0.10/x", "http://172.16.5.5/x",
        "http://169.254.169.254/latest/meta-data", "http://[::1]/x", "http://[fd00::1]/x", "http://0.0.0.0/x", "http://100.64.0.1/x",
        "http://[::ffff:127.0.0.1]/x", "http://[::10.0.0.1]/x", "http://[64:ff9b::a9fe:a9fe]/x", "http://[2002:7f00:1::]/x", "http://192.0.2.1/x",
        "http://198.51.100.7/x", "http://203.0.113.9/x", "http://192.0.0.8/x"}) {
      Api.as(account).contentType(ContentType.JSON).body(new JsonObject().put("url", url).encode()).post("/api/events/webhook/" + name).then()
          .statusCode(400).body("error.message", equalTo("Invalid webhook URL"));
    }
    // a public address is fine (nothing is sent: the instance produces no event here)
    Api.as(account).contentType(ContentType.JSON).body(new JsonObject().put("url", "https://93.184.216.34/hook").encode())
        .post("/api/events/webhook/" + name).then().statusCode(200);
    // the inline block of create is refused the same way, without failing the creation
    Api.as(account).contentType(ContentType.JSON).body(new JsonObject().put("name", Api.unique("ssrf-inline")).put("webhookURL", "http://127.0.0.1/x").encode())
        .post("/api/instance/new").then().statusCode(201).body("webhook.enabled", equalTo(false));
  }

  @Test
  void proxyHostsFollowTheSamePolicy() {
    String account = Api.newAccount();
    String name = Api.unique("ssrf-proxy");
    Api.newInstance(account, name);
    for (String host : new String[] {"127.0.0.1", "localhost", "10.0.0.1", "169.254.169.254", "::ffff:127.0.0.1", "[::1]", "64:ff9b::a00:1", "192.0.2.1",
        "bad host", "1.2.3"}) {
      Api.as(account).contentType(ContentType.JSON).body(new JsonObject().put("enabled", true).put("host", host).put("port", "1080").put("protocol", "socks5")
          .put("username", "user1").put("password", "s3cret-proxy-password").encode()).post("/api/instance/proxy/" + name).then()
          .statusCode(400).body("error.message", equalTo("Invalid proxy configuration: host"));
    }
    Api.as(account).contentType(ContentType.JSON).body(new JsonObject().put("enabled", true).put("host", "proxy.example.com").put("port", "1080")
        .put("protocol", "socks5").encode()).post("/api/instance/proxy/" + name).then().statusCode(200).body("proxy.host", equalTo("proxy.example.com"));
    // the inline block of create is refused the same way, without failing the creation
    Api.as(account).contentType(ContentType.JSON).body(new JsonObject().put("name", Api.unique("ssrf-proxy-inline")).put("proxyEnabled", true)
        .put("proxyHost", "127.0.0.1").put("proxyPort", "1080").put("proxyProtocol", "http").encode())
        .post("/api/instance/new").then().statusCode(201).body("proxy.enabled", equalTo(false));
  }

  @Test
  void aStoredPrivateTargetIsRefusedAtDelivery() {
    try (Receiver receiver = Receiver.start()) {
      String account = Api.newAccount();
      String name = Api.unique("ssrf-deliver");
      Api.newInstance(account, name);
      // a row that predates the policy (or a name that now resolves inside the network): only the delivery check stands
      pool.preparedQuery("INSERT INTO webhook (instance_id, label, enabled, url, events) SELECT id, 'legacy', true, $2, $3 FROM instance WHERE name = $1")
          .execute(Tuple.of(name, receiver.url("/legacy"), new JsonArray())).await().atMost(Duration.ofSeconds(10));
      Api.as(account).delete("/api/instance/logout/" + name).then().statusCode(200);
      Api.await("the delivery was refused", Duration.ofSeconds(30), () -> "rejected".equals(delivery(name).getString("status")));
      assertThat(delivery(name).getString("last_error")).isEqualTo("target address not allowed");
      assertThat(receiver.hits()).isEmpty();
    }
  }

  private Row delivery(String name) {
    return pool.preparedQuery("SELECT status, last_error FROM webhook_delivery WHERE instance_id = (SELECT id FROM instance WHERE name = $1)")
        .execute(Tuple.of(name)).map(rows -> rows.iterator().hasNext() ? rows.iterator().next() : null).await().atMost(Duration.ofSeconds(10));
  }

  /** Media by URL follows the same policy: a loopback target is never contacted, and the send answers why. */
  @Test
  void mediaOnPrivateAddressesIsNotDownloaded() {
    String account = Api.newAccount();
    String name = Api.unique("ssrf-media");
    String token = Api.newInstance(account, name);
    Api.pair(emulator, account, name, LifecycleSteps.phone(), Duration.ofSeconds(40));
    try (Receiver files = Receiver.start()) {
      for (String url : new String[] {files.url("/photo.png"), "http://localhost:" + files.port() + "/photo.png"}) {
        MessageSteps.error(MessageSteps.post(token, "message/media", name, new JsonObject().put("number", "5511999999999").put("mediaType", "image")
            .put("mediaUrl", url), null), 400, "Failed to download media: address not allowed");
      }
      assertThat(files.hits()).isEmpty();
    }
  }
}
