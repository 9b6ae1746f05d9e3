package io.wagate.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.wagate.service.DomainException;
import io.wagate.service.command.ProxyRequest;

/** Proxy hosts: a hostname or an IP literal, nothing else; and no answer ever repeats the proxy password. */
class ValidationTests {

  @ParameterizedTest(name = "{0} is a host")
  @ValueSource(strings = {"h", "proxy.local", "proxy-1.example.com", "10.0.0.1", "93.184.216.34", "::1", "[::1]", "2001:db8::1",
      "[2606:4700::1111]", "xn--bcher-kva.example"})
  void hostsAndIpLiterals(String host) {
    assertThat(Validation.isHostOrIp(host)).isTrue();
  }

  @ParameterizedTest(name = "{0} is refused")
  @ValueSource(strings = {"bad host", "a_b.com", "http://proxy.example.com", "proxy.example.com:8080", "user@proxy.example.com", "1.2.3", "2130706433",
      "999.1.1.1", "1.2.3.4.5", "example.123", "[::1", "::1]", "[proxy.example.com]", "-a.com", "a-.com", "a..b", "", "proxy\u0000.com", "::g"})
  void anythingElseIsRefused(String host) {
    assertThat(Validation.isHostOrIp(host)).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"127.0.0.1", "bad host"})
  void refusedHostAnswersWithoutThePassword(String host) {
    ProxyRequest req = new ProxyRequest(true, host, "1080", "socks5", "user1", "s3cret-proxy-password");
    assertThatThrownBy(() -> Validation.proxy(req, null, h -> !h.startsWith("127."))).isInstanceOf(DomainException.class)
        .hasMessage("Invalid proxy configuration: host").hasMessageNotContaining("s3cret");
  }
}
