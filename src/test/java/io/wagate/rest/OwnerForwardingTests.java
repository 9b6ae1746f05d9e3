package io.wagate.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.vertx.core.http.HttpMethod;

/** Which requests are candidates for forwarding to the owner: pure, no gateway needed. */
class OwnerForwardingTests {
  @Test
  void lifecycleSettingsAndSendRoutesNameTheirInstance() {
    assertThat(OwnerForwarding.target(HttpMethod.GET, "/api/instance/connect/shop")).isEqualTo("shop");
    assertThat(OwnerForwarding.target(HttpMethod.POST, "/api/instance/reconnect/shop/")).isEqualTo("shop");
    assertThat(OwnerForwarding.target(HttpMethod.DELETE, "/api/instance/logout/shop")).isEqualTo("shop");
    assertThat(OwnerForwarding.target(HttpMethod.DELETE, "/api/instance/delete/shop")).isEqualTo("shop");
    assertThat(OwnerForwarding.target(HttpMethod.POST, "/api/instance/settings/shop")).isEqualTo("shop");
    assertThat(OwnerForwarding.target(HttpMethod.POST, "/api/instance/proxy/shop")).isEqualTo("shop");
    assertThat(OwnerForwarding.target(HttpMethod.POST, "/api/message/text/shop")).isEqualTo("shop");
    assertThat(OwnerForwarding.target(HttpMethod.POST, "/api/message/media/shop")).isEqualTo("shop");
    assertThat(OwnerForwarding.target(HttpMethod.POST, "/api/chat/markRead/shop")).isEqualTo("shop");
  }

  @Test
  void readsOtherMethodsAndOtherRoutesStayLocal() {
    // reads come from PostgreSQL on any pod; a wrong method is the local 405
    assertThat(OwnerForwarding.target(HttpMethod.GET, "/api/instance/getSettings/shop")).isNull();
    assertThat(OwnerForwarding.target(HttpMethod.GET, "/api/instance/settings/shop")).isNull();
    assertThat(OwnerForwarding.target(HttpMethod.POST, "/api/instance/connect/shop")).isNull();
    assertThat(OwnerForwarding.target(HttpMethod.GET, "/api/instance/delete/shop")).isNull();
    assertThat(OwnerForwarding.target(HttpMethod.POST, "/api/instance/s3/shop")).isNull();
    assertThat(OwnerForwarding.target(HttpMethod.GET, "/api/instance/list")).isNull();
    assertThat(OwnerForwarding.target(HttpMethod.POST, "/api/instance/new")).isNull();
    assertThat(OwnerForwarding.target(HttpMethod.GET, "/ws/shop")).isNull();
    assertThat(OwnerForwarding.target(HttpMethod.POST, "/api/instance/reconnect/shop/extra")).isNull();
  }
}
