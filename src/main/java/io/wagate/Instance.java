package io.wagate;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One instance row: identity, desired state, observed state and its inline configuration. Secrets stay encrypted
 * here ({@code *Enc}); only the services decrypt them. {@code eventState} is null until the first event.
 */
public record Instance(
    UUID id, UUID accountId, String name, String tokenEnc, OffsetDateTime createdAt,
    DesiredState desiredState, InstanceState state, LifecycleEvent eventState, String jid, String pushName, String lastError,
    OffsetDateTime since, int attempts, Settings settings, Proxy proxy, S3 s3) {

  public record Settings(boolean autoRejectCalls, String callRejectMessage, boolean ignoreGroupMessages, boolean keepOnlineStatus,
      boolean autoReadMessages, boolean disableHistorySync, boolean ignoreStatus) {
    public static final Settings DEFAULTS = new Settings(false, "", false, false, false, true, false);
  }

  public record Proxy(boolean enabled, String host, String port, String protocol, String username, String passwordEnc) {
    public static final Proxy NONE = new Proxy(false, null, null, null, null, null);
  }

  public record S3(boolean enabled, String region, String bucket, String accessKey, String secretKeyEnc, String endpoint, String pathPrefix) {
    public static final S3 NONE = new S3(false, null, null, null, null, null, null);
  }
}
