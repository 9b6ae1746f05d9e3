package io.wagate.security;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkus.runtime.configuration.ConfigUtils;
import io.wagate.config.WagateConfig;

/**
 * AES-256-GCM for secrets at rest: a random 12-byte nonce is prepended to the ciphertext, all base64. The
 * SecureRandom lives in the instance, not in a static field, so a native image never carries a build-time seed.
 */
@Singleton
public class SecretCipher {
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final List<String> CREATING_PROFILES = List.of("dev", "test", "demo");

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();
  /*
   * The list route decrypts one token per instance it lists: a Cipher per thread, initialised afresh for every
   * operation (a new nonce each encryption), spares the provider lookup of Cipher.getInstance each time.
   */
  private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(SecretCipher::aesGcm);

  @Inject
  public SecretCipher(WagateConfig config) {
    this(loadKey(config.encryption(), CREATING_PROFILES.stream().anyMatch(ConfigUtils::isProfileActive)));
  }

  SecretCipher(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  static byte[] loadKey(WagateConfig.Encryption encryption) {
    return loadKey(encryption, true);
  }

  /** {@code mayCreate}: a missing key file is created (dev, test, demo); elsewhere a missing file is a configuration error. */
  static byte[] loadKey(WagateConfig.Encryption encryption, boolean mayCreate) {
    if (encryption.key().isPresent() && !encryption.key().get().isBlank()) {
      return decodeKey(encryption.key().get().trim(), "wagate.encryption.key");
    }
    if (encryption.keyFile().isPresent()) {
      Path file = Path.of(encryption.keyFile().get());
      try {
        if (!Files.exists(file)) {
          if (!mayCreate) {
            // a production key that silently appears would encrypt data nobody can read after the next redeploy
            throw new IllegalStateException("wagate.encryption.key-file " + file + " does not exist; it is created automatically only in the dev, test and demo profiles");
          }
          create(file);
        }
        return decodeKey(Files.readString(file, StandardCharsets.US_ASCII).trim(), "wagate.encryption.key-file");
      } catch (IOException e) {
        throw new IllegalStateException("wagate.encryption.key-file " + file + " cannot be read or created: " + e.getMessage());
      }
    }
    throw new IllegalStateException("No encryption key: set WAGATE_ENCRYPTION_KEY (base64 of 32 bytes) or WAGATE_ENCRYPTION_KEY_FILE");
  }

  /** Writes a fresh random key, readable by its owner only (0600 where the file system has POSIX permissions). */
  private static void create(Path file) throws IOException {
    byte[] fresh = new byte[32];
    new SecureRandom().nextBytes(fresh);
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(file);
    }
    Files.writeString(file, Base64.getEncoder().encodeToString(fresh) + "\n", StandardCharsets.US_ASCII);
  }

  private static byte[] decodeKey(String base64, String source) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(source + " is not valid base64");
    }
    if (raw.length != 32) {
      throw new IllegalStateException(source + " must hold 32 bytes (AES-256), got " + raw.length);
    }
    return raw;
  }

  public String encrypt(String plain) {
    if (plain == null) {
      return null;
    }
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher cipher = ciphers.get();
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("encryption failed", e);
    }
  }

  public String decrypt(String sealed) {
    if (sealed == null) {
      return null;
    }
    try {
      byte[] all = Base64.getDecoder().decode(sealed);
      Cipher cipher = ciphers.get();
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
      return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("decryption failed (wrong wagate.encryption.key?)");
    }
  }

  private static Cipher aesGcm() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM unavailable", e);
    }
  }
}
