package io.wagate.security;

import java.util.Optional;

/** Strength rules for tokens chosen by people rather than generated: guessable ones are refused. */
public final class TokenRules {
  /** Generated tokens are 64 hex characters; 32 still admits a 128-bit value in hex, at most one guess in 2^128 per try. */
  public static final int MIN_LENGTH = 32;
  /** The marker of the placeholder values shipped in deploy/ (the same one deploy/check.sh looks for). */
  public static final String PLACEHOLDER = "REPLACE_ME";

  private TokenRules() {
  }

  /** Why the configured admin token cannot be used, or empty when it can (or none is configured: the admin API is then off). */
  public static Optional<String> adminTokenProblem(Optional<String> token) {
    if (token.isEmpty() || token.get().isBlank()) {
      return Optional.empty();
    }
    if (token.get().contains(PLACEHOLDER)) {
      return Optional.of("wagate.admin.token is still the " + PLACEHOLDER + " placeholder: set WAGATE_ADMIN_TOKEN to a random value of at least "
          + MIN_LENGTH + " characters");
    }
    if (token.get().length() < MIN_LENGTH) {
      return Optional.of("wagate.admin.token must be at least " + MIN_LENGTH + " characters, got " + token.get().length());
    }
    return Optional.empty();
  }

  /** Whether a caller-chosen instance token is long enough. */
  public static boolean strongEnough(String token) {
    return token.length() >= MIN_LENGTH;
  }
}
