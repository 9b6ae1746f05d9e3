package io.wagate.service;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.wagate.Instance;
import io.wagate.security.AddressPolicy;
import io.wagate.security.SecretCipher;
import io.wagate.service.command.Patterns;
import io.wagate.service.command.ProxyRequest;

/** Input rules shared by the create route's inline blocks and the dedicated configuration routes. */
public final class Validation {
  public static final Pattern INSTANCE_NAME = Pattern.compile(Patterns.INSTANCE_NAME);
  public static final Set<String> EVENT_NAMES = Set.of("message.exchange", "message.status", "call.update", "group.flow", "instance.state", "label.update");
  private static final Set<String> PROXY_PROTOCOLS = Set.of("http", "https", "socks5");
  /** A DNS name of letters, digits and hyphens; names made only of digits and dots must be a dotted-quad IPv4 literal instead. */
  private static final Pattern HOSTNAME = Pattern.compile(
      "^(?=.{1,253}$)(?![0-9.]+$)(?!.*\\.[0-9]+$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$");
  private static final Pattern IPV4 = Pattern.compile("^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$");
  private static final Pattern IPV6 = Pattern.compile("^\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*]?$");
  private static final Pattern DIGITS = Pattern.compile("^[0-9]{1,5}$");

  private Validation() {
  }

  /**
   * Validates and builds a proxy (password encrypted); {@code enabled: false} clears it. The host must be a hostname
   * or an IP literal that {@code hostAllowed} (the webhook address policy) accepts.
   */
  public static Instance.Proxy proxy(ProxyRequest r, SecretCipher cipher, Predicate<String> hostAllowed) {
    if (Boolean.FALSE.equals(r.enabled())) {
      return Instance.Proxy.NONE;
    }
    if (r.host() == null || !isHostOrIp(r.host()) || !hostAllowed.test(r.host())) {
      throw DomainException.invalidInput("Invalid proxy configuration: host");
    }
    if (r.port() == null || !DIGITS.matcher(r.port()).matches() || Integer.parseInt(r.port()) < 1 || Integer.parseInt(r.port()) > 65535) {
      throw DomainException.invalidInput("Invalid proxy configuration: port");
    }
    if (r.protocol() == null || !PROXY_PROTOCOLS.contains(r.protocol())) {
      throw DomainException.invalidInput("Invalid proxy configuration: protocol");
    }
    if (hasControl(r.username()) || (r.password() != null && (r.username() == null || r.username().isEmpty()))) {
      throw DomainException.invalidInput("Invalid proxy configuration: username");
    }
    String username = r.username() == null || r.username().isEmpty() ? null : r.username();
    return new Instance.Proxy(true, r.host(), Integer.toString(Integer.parseInt(r.port())), r.protocol(), username, cipher.encrypt(r.password()));
  }

  /** Control characters have no place in a name, host or key; PostgreSQL cannot even store NUL. */
  public static boolean hasControl(String value) {
    return value != null && value.chars().anyMatch(Character::isISOControl);
  }

  /** A hostname, a dotted-quad IPv4 literal or an IPv6 literal (bare or in brackets). */
  public static boolean isHostOrIp(String host) {
    if (HOSTNAME.matcher(host).matches() || IPV4.matcher(host).matches()) {
      return true;
    }
    boolean bracketed = host.startsWith("[") == host.endsWith("]");
    return bracketed && IPV6.matcher(host).matches() && AddressPolicy.literal(host) != null;
  }

  /** An event filter; unknown names are refused with the name in the message. */
  public static List<String> events(List<String> events) {
    if (events == null) {
      return List.of();
    }
    for (String e : events) {
      if (e == null || !EVENT_NAMES.contains(e)) {
        throw DomainException.invalidInput("Invalid event: " + e);
      }
    }
    return List.copyOf(events);
  }
}
