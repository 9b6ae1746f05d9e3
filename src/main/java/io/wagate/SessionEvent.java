package io.wagate;

import java.util.List;
import java.util.UUID;

/**
 * One lifecycle event from the sidecar, in the API's vocabulary ({@code kind} is a {@code data.state} value such as
 * {@code qr_ready}).
 */
public record SessionEvent(String bootId, long seq, UUID instanceId, String kind, long timestampMillis, String jid, String reason, int code,
    List<String> codes, String pairingCode, long expiresAtUnix, String pushName, boolean replayTruncated) {
  /** The kind of the message that opens every event stream: which sidecar process answers (no instance). */
  public static final String BOOT = "sidecar_boot";

  public static SessionEvent boot(String bootId, long startedAtMillis) {
    return new SessionEvent(bootId, 0, null, BOOT, startedAtMillis, null, null, 0, List.of(), null, 0, null, false);
  }

  public boolean isBoot() {
    return BOOT.equals(kind);
  }
}
