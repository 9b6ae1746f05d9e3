package io.wagate.service;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Where one reconcile pass spends its time, logged at debug level at its end (category
 * {@code io.wagate.service.RestoreTimings}): the phases, the re-reads before the restores, and the Connect calls (how
 * many in flight at most, their total and longest latency). A restore of thousands is judged by these figures.
 */
final class RestoreTimings {
  private final long start = System.nanoTime();
  private long listed;
  private long markedLost;
  private long planned;
  private int plannedCount;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicInteger connects = new AtomicInteger();
  private final AtomicLong connectNanos = new AtomicLong();
  private final AtomicLong maxConnectNanos = new AtomicLong();
  private final AtomicInteger rereads = new AtomicInteger();
  private final AtomicLong rereadNanos = new AtomicLong();

  void listed() {
    listed = System.nanoTime();
  }

  void markedLost() {
    markedLost = System.nanoTime();
  }

  void planned(java.util.List<?> list) {
    planned = System.nanoTime();
    plannedCount = list.size();
  }

  <T> Uni<T> reread(Uni<T> read) {
    return timed(read, rereads, rereadNanos, null);
  }

  <T> Uni<T> connect(Uni<T> call) {
    return timed(call, connects, connectNanos, maxConnectNanos);
  }

  private <T> Uni<T> timed(Uni<T> call, AtomicInteger count, AtomicLong total, AtomicLong max) {
    return Uni.createFrom().deferred(() -> {
      long t0 = System.nanoTime();
      if (max != null) {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      }
      return call.onTermination().invoke(() -> {
        long took = System.nanoTime() - t0;
        count.incrementAndGet();
        total.addAndGet(took);
        if (max != null) {
          inFlight.decrementAndGet();
          max.accumulateAndGet(took, Math::max);
        }
      });
    });
  }

  void log(String bootId, boolean newBoot) {
    if (!Log.isDebugEnabled() || plannedCount == 0) {
      return;
    }
    long end = System.nanoTime();
    Log.debugf("Restore pass (boot %s%s): list %d ms, mark lost %d ms, list desired %d ms, restore of %d %d ms"
        + " (re-reads: %d, %d ms in total; Connect: %d, at most %d in flight, %d ms mean, %d ms max)",
        bootId, newBoot ? ", new" : "", ms(listed - start), ms(markedLost - listed), ms(planned - markedLost), plannedCount, ms(end - planned),
        rereads.get(), ms(rereadNanos.get()), connects.get(), maxInFlight.get(), connects.get() == 0 ? 0 : ms(connectNanos.get() / connects.get()),
        ms(maxConnectNanos.get()));
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }
}
