package io.wagate;

import java.util.List;
import java.util.UUID;

/**
 * One event from the sidecar's ordered stream: a lifecycle event, a messaging event ({@link #messaging()} set, kind
 * {@link LifecycleEvent#UNKNOWN}; it changes no state), or the {@code Boot} message that opens every event stream (no
 * instance, no kind: it names the sidecar process that answers).
 */
public record SessionEvent(String bootId, long seq, UUID instanceId, LifecycleEvent kind, long timestampMillis, String jid, String reason, int code,
    List<String> codes, String pairingCode, long expiresAtUnix, String pushName, boolean replayTruncated, MessageEvent messaging) {
  /** A lifecycle event. */
  public SessionEvent(String bootId, long seq, UUID instanceId, LifecycleEvent kind, long timestampMillis, String jid, String reason, int code,
      List<String> codes, String pairingCode, long expiresAtUnix, String pushName, boolean replayTruncated) {
    this(bootId, seq, instanceId, kind, timestampMillis, jid, reason, code, codes, pairingCode, expiresAtUnix, pushName, replayTruncated, null);
  }

  public static SessionEvent boot(String bootId, long startedAtMillis) {
    return new SessionEvent(bootId, 0, null, null, startedAtMillis, null, null, 0, List.of(), null, 0, null, false);
  }

  public static SessionEvent messaging(String bootId, long seq, UUID instanceId, long timestampMillis, boolean replayTruncated, MessageEvent event) {
    return new SessionEvent(bootId, seq, instanceId, LifecycleEvent.UNKNOWN, timestampMillis, null, null, 0, List.of(), null, 0, null, replayTruncated,
        event);
  }

  public boolean isMessaging() {
    return messaging != null;
  }

  public boolean isBoot() {
    return kind == null;
  }
}
