package io.wagate;

import java.util.UUID;

/**
 * Who made a request, resolved from its token.
 *
 * @param instanceId set for a TokenInstance, null for a TokenAccount
 * @param tokenHash identifies the rate-limit bucket without keeping the token itself
 */
public record Principal(UUID accountId, int rateLimitPerMinute, UUID instanceId, String instanceName, String tokenHash) {

  public boolean isAccount() {
    return instanceId == null;
  }
}
