package io.wagate.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.wagate.support.QrDecoder;

class QrPngTests {
  /** Shaped like whatsmeow's QR text: ref, noise key, identity key and ADV secret, comma separated. */
  private static String pairingText(Random random) {
    byte[] ref = new byte[48 + random.nextInt(24)];
    random.nextBytes(ref);
    StringBuilder text = new StringBuilder("2@").append(Base64.getEncoder().encodeToString(ref));
    for (int i = 0; i < 3; i++) {
      byte[] key = new byte[32];
      random.nextBytes(key);
      text.append(',').append(Base64.getEncoder().encodeToString(key));
    }
    return text.toString();
  }

  @Test
  void everyPairingCodeReadsBackExactly() throws Exception {
    Random random = new Random(20261130);
    List<String> unreadable = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      String text = pairingText(random);
      try {
        if (!text.equals(QrDecoder.decode(QrPng.dataUrl(text)))) {
          unreadable.add("misread: " + text);
        }
      } catch (Exception e) {
        unreadable.add(e.getClass().getSimpleName() + ": " + text);
      }
    }
    assertThat(unreadable).isEmpty();
  }
}
