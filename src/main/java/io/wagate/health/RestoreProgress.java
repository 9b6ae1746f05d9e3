package io.wagate.health;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * How far the reconciler is with restoring sessions for the sidecar process it last saw. A new boot id (start-up of
 * either process, or a sidecar restart) makes the gateway not ready until one restore pass for that boot has finished,
 * so traffic does not reach a pod whose instances are still coming back.
 */
@ApplicationScoped
public class RestoreProgress {
  private final AtomicInteger done = new AtomicInteger();
  private final AtomicInteger total = new AtomicInteger();
  private volatile String currentBoot;
  private volatile String restoredBoot;

  /** The sidecar answered with {@code bootId}; a different one than before starts a new restore. */
  public void seen(String bootId) {
    if (!bootId.equals(currentBoot)) {
      done.set(0);
      total.set(0);
      currentBoot = bootId;
    }
  }

  /** The pass has {@code count} instances to restore (counted only while the boot is not restored yet). */
  public void planned(int count) {
    if (!complete()) {
      done.set(0);
      total.set(count);
    }
  }

  public void stepped() {
    if (!complete()) {
      done.incrementAndGet();
    }
  }

  public void finished(String bootId) {
    restoredBoot = bootId;
  }

  public boolean complete() {
    String boot = currentBoot;
    return boot != null && boot.equals(restoredBoot);
  }

  /** {@code restoring n/m} while not complete. */
  public String describe() {
    return complete() ? "restored" : "restoring " + done.get() + "/" + total.get();
  }
}
