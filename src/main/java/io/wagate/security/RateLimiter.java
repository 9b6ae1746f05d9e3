package io.wagate.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;

/** Fixed 60-second windows, aligned to the minute, counted per bucket key (token hash or client address). */
@ApplicationScoped
public class RateLimiter {
  static final long WINDOW_MILLIS = 60_000;

  /** The outcome of one counted request, enough to write the X-RateLimit-* headers. */
  public record Decision(boolean allowed, int limit, int remaining, long resetEpochSeconds, long retryAfterSeconds) {
  }

  private static final class Window {
    final long start;
    // written inside the map's compute (one writer per key at a time); volatile so that peek sees the latest count
    volatile int count;

    Window(long start) {
      this.start = start;
    }
  }

  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  public Decision hit(String bucket, int limit) {
    return hit(bucket, limit, System.currentTimeMillis());
  }

  Decision hit(String bucket, int limit, long nowMillis) {
    long start = nowMillis - nowMillis % WINDOW_MILLIS;
    long reset = (start + WINDOW_MILLIS) / 1000;
    Window w = windows.compute(bucket, (k, old) -> {
      Window cur = old == null || old.start != start ? new Window(start) : old;
      if (cur.count < limit) {
        cur.count++;
      } else {
        cur.count = limit + 1;
      }
      return cur;
    });
    synchronized (w) {
      boolean allowed = w.count <= limit;
      int remaining = Math.max(0, limit - w.count);
      long retryAfter = Math.max(1, (start + WINDOW_MILLIS - nowMillis + 999) / 1000);
      return new Decision(allowed, limit, remaining, reset, retryAfter);
    }
  }

  /** Whether the next request in {@code bucket} would still be allowed, without counting it. */
  public Decision peek(String bucket, int limit) {
    return peek(bucket, limit, System.currentTimeMillis());
  }

  Decision peek(String bucket, int limit, long nowMillis) {
    long start = nowMillis - nowMillis % WINDOW_MILLIS;
    Window w = windows.get(bucket);
    int count = w == null || w.start != start ? 0 : w.count;
    long retryAfter = Math.max(1, (start + WINDOW_MILLIS - nowMillis + 999) / 1000);
    return new Decision(count < limit, limit, Math.max(0, limit - count), (start + WINDOW_MILLIS) / 1000, retryAfter);
  }

  @Scheduled(every = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void evictOldWindows() {
    long now = System.currentTimeMillis();
    long current = now - now % WINDOW_MILLIS;
    windows.values().removeIf(w -> w.start < current);
  }
}
