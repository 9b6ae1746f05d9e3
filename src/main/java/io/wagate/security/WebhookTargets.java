package io.wagate.security;

import java.net.InetAddress;
import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;

import io.wagate.config.WagateConfig;

/**
 * SSRF policy for webhook targets: unless {@code wagate.webhooks.allow-private-targets}, a target on an address that
 * {@link AddressPolicy} refuses (loopback, private, link-local, documentation, reserved, ...) is refused, both when the webhook is
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
    if (!isHttpUrl(url)) {
      return false;
    }
    if (allowPrivate) {
      return true;
    }
    return acceptableHost(URI.create(url).getHost());
  }

  /** Whether {@code host} (a name or an IP literal) may be a webhook or proxy target; a webhook name is checked again at each delivery. */
  public boolean acceptableHost(String host) {
    if (allowPrivate) {
      return true;
    }
    if ("localhost".equalsIgnoreCase(host) || host.toLowerCase().endsWith(".localhost")) {
      return false;
    }
    InetAddress literal = AddressPolicy.literal(host);
    return literal == null || !AddressPolicy.refused(literal);
  }

  /** Whether a resolved address is out of bounds under the current policy. */
  public boolean refusedAddress(InetAddress address) {
    return !allowPrivate && AddressPolicy.refused(address);
  }

  /** An absolute http(s) URL with a host. */
  public static boolean isHttpUrl(String url) {
    if (url == null || url.isBlank()) {
      return false;
    }
    try {
      URI uri = new URI(url);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (Exception e) {
      return false;
    }
  }
}
