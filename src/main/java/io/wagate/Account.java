package io.wagate;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A tenant: owns instances, authenticates with a TokenAccount (stored as its SHA-256 hash only). */
public record Account(UUID id, String name, String tokenHash, int instanceQuota, int rateLimitPerMinute, OffsetDateTime createdAt) {

  /** A new account, not stored yet. */
  public static Account create(String name, String tokenHash, int instanceQuota, int rateLimitPerMinute) {
    return new Account(UUID.randomUUID(), name, tokenHash, instanceQuota, rateLimitPerMinute, OffsetDateTime.now());
  }
}
