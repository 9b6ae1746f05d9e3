package io.wagate.service;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * How far the sidecar's ordered event stream is stored: the boot and seq of the last stored event. The reconciler
 * compares it with the position a session list was taken at, so that it never acts on a list newer than its records.
 */
@ApplicationScoped
public class StreamPosition {
  private record At(String bootId, long seq) {
  }

  private volatile At at = new At(null, 0);

  void stored(String bootId, long seq) {
    at = new At(bootId, seq);
  }

  /** True once every event of {@code bootId} up to {@code seq} is stored (at once for a boot that published none). */
  public boolean storedThrough(String bootId, long seq) {
    At now = at;
    return seq == 0 || (bootId.equals(now.bootId()) && now.seq() >= seq);
  }
}
