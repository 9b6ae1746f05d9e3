package io.wagate.websocket;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.wagate.config.WagateConfig;

/**
 * Open WebSockets per token on this replica, capped by {@code wagate.websocket.max-per-token}: {@link UpgradeGuard}
 * refuses an upgrade over the cap with 429 while it is still HTTP, and {@link EventSockets} takes the slot when the
 * socket opens (closing it with 1008 if concurrent upgrades got past the guard together).
 */
@ApplicationScoped
public class SocketQuota {
  static final String TOO_MANY = "Too many WebSocket connections for this token";

  private final int max;
  private final Map<String, Integer> perToken = new ConcurrentHashMap<>();
  private final Map<String, String> tokenOf = new ConcurrentHashMap<>();

  @Inject
  public SocketQuota(WagateConfig config) {
    this(config.websocket().maxPerToken());
  }

  SocketQuota(int max) {
    this.max = max;
  }

  /** Whether one more socket of this token would be over the cap. */
  boolean full(String tokenHash) {
    return perToken.getOrDefault(tokenHash, 0) >= max;
  }

  /** Takes a slot for {@code connectionId}; false (and nothing taken) when the token is at its cap. */
  boolean acquire(String tokenHash, String connectionId) {
    boolean[] taken = {false};
    perToken.compute(tokenHash, (k, n) -> {
      int current = n == null ? 0 : n;
      if (current >= max) {
        return n;
      }
      taken[0] = true;
      return current + 1;
    });
    if (taken[0]) {
      tokenOf.put(connectionId, tokenHash);
    }
    return taken[0];
  }

  /** Gives back the slot of {@code connectionId}, if it holds one; safe to call more than once. */
  void release(String connectionId) {
    String tokenHash = tokenOf.remove(connectionId);
    if (tokenHash != null) {
      perToken.computeIfPresent(tokenHash, (k, n) -> n <= 1 ? null : n - 1);
    }
  }
}
