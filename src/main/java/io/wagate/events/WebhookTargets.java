package io.wagate.events;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

import jakarta.enterprise.context.ApplicationScoped;

import io.wagate.config.WagateConfig;
import io.wagate.service.Validation;

/**
 * SSRF policy for webhook targets: unless {@code wagate.webhooks.allow-private-targets}, a target on a loopback,
 * private, link-local, unique-local, CGNAT, multicast or unspecified address is refused, both when the webhook is
 * configured (literal addresses and {@code localhost}) and at every delivery (after DNS resolution, so a name that
 * later resolves inside the network is refused too).
 */
@ApplicationScoped
public class WebhookTargets {
  private final boolean allowPrivate;

  public WebhookTargets(WagateConfig config) {
    this.allowPrivate = config.webhooks().allowPrivateTargets();
  }

  public boolean allowPrivate() {
    return allowPrivate;
  }

  /** Whether {@code url} may be stored as a webhook target: http(s), a host, and not a refused literal address. */
  public boolean acceptable(String url) {
    if (!Validation.isHttpUrl(url)) {
      return false;
    }
    if (allowPrivate) {
      return true;
    }
    String host = URI.create(url).getHost();
    if ("localhost".equalsIgnoreCase(host) || host.toLowerCase().endsWith(".localhost")) {
      return false;
    }
    InetAddress literal = literal(host);
    return literal == null || !refused(literal);
  }

  /** Whether a resolved address is out of bounds under the current policy. */
  public boolean refusedAddress(InetAddress address) {
    return !allowPrivate && refused(address);
  }

  static boolean refused(InetAddress a) {
    if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isMulticastAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet6Address) {
      // fc00::/7 unique-local; IPv4-mapped addresses are judged as IPv4
      if ((b[0] & 0xfe) == 0xfc) {
        return true;
      }
      return false;
    }
    int first = b[0] & 0xff;
    int second = b[1] & 0xff;
    // 100.64.0.0/10 carrier-grade NAT, 0.0.0.0/8, 198.18.0.0/15 benchmarking, 240.0.0.0/4 reserved
    return (first == 100 && second >= 64 && second < 128) || first == 0 || (first == 198 && (second == 18 || second == 19)) || first >= 240;
  }

  /** The address of an IP literal host, without any DNS lookup; null for a name. */
  static InetAddress literal(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    boolean ipv4 = h.matches("^[0-9.]+$");
    boolean ipv6 = h.contains(":") && h.matches("^[0-9A-Fa-f:.]+$");
    if (!ipv4 && !ipv6) {
      return null;
    }
    try {
      return InetAddress.getByName(h);
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
