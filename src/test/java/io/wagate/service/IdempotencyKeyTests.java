package io.wagate.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The Idempotency-Key's accepted form and the WhatsApp id derived from it (pure). */
class IdempotencyKeyTests {
  @Test
  void idempotencyKeysAndIds() {
    assertThat(Idempotency.validKey("order-42")).isTrue();
    assertThat(Idempotency.validKey("x".repeat(200))).isTrue();
    assertThat(Idempotency.validKey("x".repeat(201))).isFalse();
    assertThat(Idempotency.validKey("")).isFalse();
    assertThat(Idempotency.validKey("with space")).isFalse();
    assertThat(Idempotency.validKey("caf\u00e9")).isFalse();
    assertThat(Idempotency.messageId("shop", "order-42")).matches("3EB0[0-9A-F]{18}").isEqualTo(Idempotency.messageId("shop", "order-42"))
        .isNotEqualTo(Idempotency.messageId("shop2", "order-42"));
  }
}
