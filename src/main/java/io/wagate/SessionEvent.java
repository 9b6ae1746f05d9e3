package io.wagate;

import java.util.List;
import java.util.UUID;

/**
 * One lifecycle event from the sidecar, in the API's vocabulary ({@code kind} is a {@code data.state} value such as
 * {@code qr_ready}).
 */
public record SessionEvent(String bootId, long seq, UUID instanceId, String kind, long timestampMillis, String jid, String reason, int code,
    List<String> codes, String pairingCode, long expiresAtUnix, String pushName, boolean replayTruncated) {
}
