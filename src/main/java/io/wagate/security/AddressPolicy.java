package io.wagate.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which addresses wagate refuses to send traffic to when private targets are not allowed (webhooks, proxies): every
 * IANA special-purpose block that is not globally reachable, in IPv4 and IPv6, with IPv4 embedded in IPv6
 * (mapped, compatible, NAT64 and 6to4) judged as the IPv4 address it carries, so {@code [::ffff:127.0.0.1]} or
 * {@code [64:ff9b::a00:1]} cannot reach what {@code 127.0.0.1} or {@code 10.0.0.1} cannot.
 */
public final class AddressPolicy {
  private static final Pattern IPV4_LITERAL = Pattern.compile("^[0-9.]+$");
  private static final Pattern IPV6_LITERAL = Pattern.compile("^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$");

  /** IANA IPv4 Special-Purpose Address Registry, the blocks not marked globally reachable (plus multicast). */
  private static final List<Cidr> IPV4 = Cidr.all("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
      "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4",
      "240.0.0.0/4");

  /**
   * IANA IPv6 Special-Purpose Address Registry, the blocks not globally reachable (plus multicast and the deprecated
   * site-local block); 2001::/23 covers Teredo, whose embedded IPv4 address is obfuscated.
   */
  private static final List<Cidr> IPV6 = Cidr.all("64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "3fff::/20", "5f00::/16", "fc00::/7",
      "fe80::/10", "fec0::/10", "ff00::/8");

  private AddressPolicy() {
  }

  /** Whether {@code address} is a loopback, private, link-local, documentation, reserved or otherwise non-public address. */
  public static boolean refused(InetAddress address) {
    byte[] b = address.getAddress();
    if (b.length == 16) {
      byte[] v4 = embeddedIpv4(b);
      return v4 != null ? Cidr.anyMatches(IPV4, v4) : Cidr.anyMatches(IPV6, b);
    }
    return Cidr.anyMatches(IPV4, b);
  }

  /** The IPv4 address carried by an IPv6 address, or null when it carries none. */
  static byte[] embeddedIpv4(byte[] b) {
    boolean zero0to9 = allZero(b, 0, 10);
    if (zero0to9 && ((b[10] == 0 && b[11] == 0) || ((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff))) {
      // ::a.b.c.d (compatible, which also makes :: and ::1 judged as 0.0.0.0/8) and ::ffff:a.b.c.d (mapped)
      return last4(b, 12);
    }
    if (b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && allZero(b, 4, 12)) {
      return last4(b, 12); // 64:ff9b::/96, the NAT64 well-known prefix
    }
    if (b[0] == 0x20 && b[1] == 0x02) {
      return last4(b, 2); // 2002::/16, 6to4: the IPv4 address follows the prefix
    }
    return null;
  }

  /** The address of an IP literal host (bracketed IPv6 accepted), without any DNS lookup; null for a name or a malformed literal. */
  public static InetAddress literal(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!IPV4_LITERAL.matcher(h).matches() && !IPV6_LITERAL.matcher(h).matches()) {
      return null;
    }
    try {
      return InetAddress.getByName(h);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static byte[] last4(byte[] b, int from) {
    return new byte[] {b[from], b[from + 1], b[from + 2], b[from + 3]};
  }

  /** One address block; matched byte-wise so IPv4 and IPv6 share the code. */
  private record Cidr(byte[] prefix, int bits) {
    static List<Cidr> all(String... blocks) {
      return Arrays.stream(blocks).map(Cidr::parse).toList();
    }

    static Cidr parse(String block) {
      String[] parts = block.split("/");
      byte[] prefix = literal(parts[0]).getAddress();
      return new Cidr(prefix, Integer.parseInt(parts[1]));
    }

    static boolean anyMatches(List<Cidr> blocks, byte[] address) {
      return blocks.stream().anyMatch(c -> c.matches(address));
    }

    boolean matches(byte[] address) {
      if (address.length != prefix.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != prefix[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[full] & mask) == (prefix[full] & mask);
    }
  }
}
