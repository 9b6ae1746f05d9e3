package io.wagate.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Tokens are stored and looked up by their SHA-256 hash only. No static SecureRandom: Quarkus initializes
 * application classes while building the native image, and a seeded generator must not be frozen into it.
 */
public final class TokenHasher {
  /*
   * Every request hashes its token: a digest per thread spares the provider lookup of MessageDigest.getInstance, which
   * the native image's profile of the list route showed next to the hashing itself. digest() resets it for the next use.
   */
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(TokenHasher::sha256);

  private TokenHasher() {
  }

  public static String hash(String token) {
    return HexFormat.of().formatHex(SHA256.get().digest(token.getBytes(StandardCharsets.UTF_8)));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** A fresh random token: 32 bytes as hex. */
  public static String newToken() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
