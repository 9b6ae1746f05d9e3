package io.wagate.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Fixed windows aligned to the minute, counted per bucket. */
class RateLimiterTests {
  static final long MINUTE_START = 1_800_000_000_000L - 1_800_000_000_000L % 60_000;

  @Test
  void countsWithinAWindowAndResetsAtTheNext() {
    RateLimiter limiter = new RateLimiter();
    for (int i = 0; i < 3; i++) {
      RateLimiter.Decision d = limiter.hit("t", 3, MINUTE_START + 10_000 + i);
      assertThat(d.allowed()).isTrue();
      assertThat(d.remaining()).isEqualTo(2 - i);
      assertThat(d.resetEpochSeconds()).isEqualTo((MINUTE_START + 60_000) / 1000);
    }
    RateLimiter.Decision over = limiter.hit("t", 3, MINUTE_START + 50_000);
    assertThat(over.allowed()).isFalse();
    assertThat(over.remaining()).isZero();
    assertThat(over.retryAfterSeconds()).isEqualTo(10);
    assertThat(limiter.hit("other", 3, MINUTE_START + 50_000).allowed()).isTrue();
    RateLimiter.Decision next = limiter.hit("t", 3, MINUTE_START + 60_000);
    assertThat(next.allowed()).isTrue();
    assertThat(next.remaining()).isEqualTo(2);
  }
}
