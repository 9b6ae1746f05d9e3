package io.wagate;

import java.util.List;
import java.util.UUID;

/**
 * One lifecycle event from the sidecar, or the {@code Boot} message that opens every event stream (no instance, no
 * kind: it names the sidecar process that answers).
 */
public record SessionEvent(String bootId, long seq, UUID instanceId, LifecycleEvent kind, long timestampMillis, String jid, String reason, int code,
    List<String> codes, String pairingCode, long expiresAtUnix, String pushName, boolean replayTruncated) {
  public static SessionEvent boot(String bootId, long startedAtMillis) {
    return new SessionEvent(bootId, 0, null, null, startedAtMillis, null, null, 0, List.of(), null, 0, null, false);
  }

  public boolean isBoot() {
    return kind == null;
  }
}
