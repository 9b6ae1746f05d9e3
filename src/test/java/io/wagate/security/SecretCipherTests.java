package io.wagate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.wagate.config.WagateConfig;

/** AES-256-GCM round trips, tamper detection and the start-up key rules. */
class SecretCipherTests {
  static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

  static WagateConfig.Encryption encryption(String key, String file) {
    return new WagateConfig.Encryption() {
      @Override
      public Optional<String> key() {
        return Optional.ofNullable(key);
      }

      @Override
      public Optional<String> keyFile() {
        return Optional.ofNullable(file);
      }
    };
  }

  @Test
  void roundTripUsesFreshNonces() {
    SecretCipher cipher = new SecretCipher(SecretCipher.loadKey(encryption(KEY, null)));
    String a = cipher.encrypt("proxy-password");
    String b = cipher.encrypt("proxy-password");
    assertThat(a).isNotEqualTo(b).doesNotContain("proxy-password");
    assertThat(cipher.decrypt(a)).isEqualTo("proxy-password");
    assertThat(cipher.encrypt(null)).isNull();
  }

  @Test
  void tamperedCiphertextIsRefused() {
    SecretCipher cipher = new SecretCipher(SecretCipher.loadKey(encryption(KEY, null)));
    byte[] sealed = Base64.getDecoder().decode(cipher.encrypt("secret"));
    sealed[sealed.length - 1] ^= 1;
    assertThatThrownBy(() -> cipher.decrypt(Base64.getEncoder().encodeToString(sealed))).isInstanceOf(IllegalStateException.class);
  }

  /** Each thread keeps its own Cipher: a refused (tampered) input must not spoil it for the next call. */
  @Test
  void aThreadsCipherStaysUsableAfterARefusalAndAcrossThreads() throws Exception {
    SecretCipher cipher = new SecretCipher(SecretCipher.loadKey(encryption(KEY, null)));
    byte[] tampered = Base64.getDecoder().decode(cipher.encrypt("secret"));
    tampered[tampered.length - 1] ^= 1;
    assertThatThrownBy(() -> cipher.decrypt(Base64.getEncoder().encodeToString(tampered))).isInstanceOf(IllegalStateException.class);
    assertThat(cipher.decrypt(cipher.encrypt("after"))).isEqualTo("after");
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      var results = new java.util.ArrayList<java.util.concurrent.Future<Boolean>>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          for (int i = 0; i < 200; i++) {
            String plain = "token-" + thread + "-" + i;
            if (!plain.equals(cipher.decrypt(cipher.encrypt(plain)))) {
              return false;
            }
          }
          return true;
        }));
      }
      for (var r : results) {
        assertThat(r.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aCreatedKeyFileIsReadableByItsOwnerOnly(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("encryption.key");
    SecretCipher.loadKey(encryption(null, file.toString()), true);
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void outsideDevTestAndDemoAMissingKeyFileIsAnError(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("encryption.key");
    assertThatThrownBy(() -> SecretCipher.loadKey(encryption(null, file.toString()), false)).hasMessageContaining("does not exist")
        .hasMessageContaining("only in the dev, test and demo profiles");
    assertThat(Files.exists(file)).isFalse();
    // an existing file is used in every profile
    byte[] created = SecretCipher.loadKey(encryption(null, file.toString()), true);
    assertThat(SecretCipher.loadKey(encryption(null, file.toString()), false)).isEqualTo(created);
  }

  @Test
  void keyFileIsCreatedOnceAndReused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sub/encryption.key");
    byte[] first = SecretCipher.loadKey(encryption(null, file.toString()));
    assertThat(Files.exists(file)).isTrue();
    assertThat(SecretCipher.loadKey(encryption(null, file.toString()))).isEqualTo(first).hasSize(32);
  }

  @Test
  void missingOrBadKeyIsOneClearError() {
    assertThatThrownBy(() -> SecretCipher.loadKey(encryption(null, null))).hasMessageContaining("WAGATE_ENCRYPTION_KEY");
    assertThatThrownBy(() -> SecretCipher.loadKey(encryption(Base64.getEncoder().encodeToString(new byte[16]), null))).hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> SecretCipher.loadKey(encryption("%%%", null))).hasMessageContaining("base64");
  }
}
