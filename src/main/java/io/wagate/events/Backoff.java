package io.wagate.events;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with ±20 % jitter between {@code initial} and {@code max}. */
public record Backoff(Duration initial, Duration max) {

  /** The delay before the next try after {@code failures} failed attempts (1 = the first failure). */
  public long delayMillis(int failures) {
    long base = initial.toMillis();
    long cap = max.toMillis();
    long exp = failures >= 31 ? cap : Math.min(cap, base << Math.max(0, failures - 1));
    double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
    return Math.max(base, Math.min(cap, (long) (exp * jitter)));
  }
}
