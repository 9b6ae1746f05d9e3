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

  @Test
  void peekTellsWithoutCounting() {
    RateLimiter limiter = new RateLimiter();
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.peek("a", 2, MINUTE_START + 1_000).allowed()).isTrue();
    }
    limiter.hit("a", 2, MINUTE_START + 2_000);
    RateLimiter.Decision one = limiter.peek("a", 2, MINUTE_START + 3_000);
    assertThat(one.allowed()).isTrue();
    assertThat(one.remaining()).isEqualTo(1);
    limiter.hit("a", 2, MINUTE_START + 4_000);
    RateLimiter.Decision full = limiter.peek("a", 2, MINUTE_START + 50_000);
    assertThat(full.allowed()).isFalse();
    assertThat(full.remaining()).isZero();
    assertThat(full.retryAfterSeconds()).isEqualTo(10);
    assertThat(limiter.peek("a", 2, MINUTE_START + 60_000).allowed()).as("a new window").isTrue();
  }
}
