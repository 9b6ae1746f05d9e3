package io.wagate.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pure address predicate behind the webhook and proxy SSRF checks, over literal addresses only (no DNS). */
class AddressPolicyTests {

  @ParameterizedTest(name = "{0} is refused")
  @ValueSource(strings = {
      // the classic private and local ranges
      "127.0.0.1", "10.1.2.3", "172.16.5.5", "192.168.0.10", "169.254.169.254", "0.0.0.0", "100.64.0.1", "224.0.0.1", "255.255.255.255",
      // IANA special-purpose IPv4 blocks
      "192.0.0.8", "192.0.2.1", "198.51.100.7", "203.0.113.9", "198.18.0.1", "198.19.255.254", "240.0.0.1", "192.88.99.1",
      // IPv6 specials
      "::1", "::", "fd00::1", "fe80::1", "ff02::1", "2001:db8::1", "2001::1", "100::1", "64:ff9b:1::1", "3fff::1",
      // IPv4 embedded in IPv6 is judged as the IPv4 address it carries
      "::ffff:127.0.0.1", "[::ffff:10.0.0.1]", "::127.0.0.1", "::10.0.0.1", "::ffff:169.254.169.254",
      "64:ff9b::7f00:1", "64:ff9b::10.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::", "2002:a00:1::1", "2002:c0a8:1::",
      // a decimal IPv4 literal
      "2130706433"})
  void refused(String literal) {
    assertThat(AddressPolicy.literal(literal)).as("parsed as a literal").isNotNull();
    assertThat(AddressPolicy.refused(AddressPolicy.literal(literal))).isTrue();
  }

  @ParameterizedTest(name = "{0} is allowed")
  @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "1.1.1.1", "100.128.0.1", "198.20.0.1", "192.0.3.1", "2606:4700::1111", "[2a00:1450:4001::200e]",
      "::ffff:93.184.216.34", "64:ff9b::5db8:d822", "2002:5db8:d822::1", "2001:4860:4860::8888"})
  void allowed(String literal) {
    assertThat(AddressPolicy.literal(literal)).as("parsed as a literal").isNotNull();
    assertThat(AddressPolicy.refused(AddressPolicy.literal(literal))).isFalse();
  }

  @Test
  void namesAreNotLiterals() {
    assertThat(AddressPolicy.literal("hooks.example.com")).isNull();
    assertThat(AddressPolicy.literal("localhost")).isNull();
    assertThat(AddressPolicy.literal("1.2.3.4.example")).isNull();
  }
}
