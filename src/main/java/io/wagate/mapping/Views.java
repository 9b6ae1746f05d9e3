package io.wagate.mapping;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.wagate.EventName;

/**
 * The RyzeAPI JSON shapes of an instance's parts (docs/API.md, sections 2 and 3). Component order is the JSON order;
 * a null component is written as {@code null}, as the contract shows it.
 */
public final class Views {
  private Views() {
  }

  @RegisterForReflection
  @Schema(name = "Settings", requiredProperties = {"autoRejectCalls", "callRejectMessage", "ignoreGroupMessages", "keepOnlineStatus",
      "autoReadMessages", "disableHistorySync", "ignoreStatus"})
  public record SettingsView(@Schema(defaultValue = "false") boolean autoRejectCalls, @Schema(defaultValue = "") String callRejectMessage,
      @Schema(defaultValue = "false") boolean ignoreGroupMessages, @Schema(defaultValue = "false") boolean keepOnlineStatus,
      @Schema(defaultValue = "false") boolean autoReadMessages, @Schema(defaultValue = "true") boolean disableHistorySync,
      @Schema(defaultValue = "false") boolean ignoreStatus) {
  }

  /** The proxy without its password, which is never returned. */
  @RegisterForReflection
  @Schema(name = "ProxyView", requiredProperties = "enabled")
  public record ProxyView(boolean enabled, @Schema(nullable = true) String host, @Schema(nullable = true) String port,
      @Schema(nullable = true) String protocol, @Schema(nullable = true) String username) {
  }

  /** S3 as stored and answered by create and update: no secret key field at all. */
  @RegisterForReflection
  @Schema(name = "S3Written", requiredProperties = "enabled")
  public record S3View(boolean enabled, @Schema(nullable = true) String region, @Schema(nullable = true) String bucket,
      @Schema(nullable = true) String accessKey, @Schema(nullable = true) String endpoint, @Schema(nullable = true) String pathPrefix) {
  }

  /** S3 as read back by {@code getS3}: the secret key field is there, always {@code null}. */
  @RegisterForReflection
  @Schema(name = "S3View", requiredProperties = "enabled")
  public record S3Stored(boolean enabled, @Schema(nullable = true) String region, @Schema(nullable = true) String bucket,
      @Schema(nullable = true) String accessKey, @Schema(nullable = true, description = "Always null") String secretKey,
      @Schema(nullable = true) String endpoint, @Schema(nullable = true) String pathPrefix) {
  }

  @RegisterForReflection
  @Schema(name = "WebsocketConfig")
  public record WebsocketView(boolean enabled, @Schema(type = SchemaType.ARRAY, implementation = EventName.class) List<String> events, boolean mediaBase64) {
  }

  /** A webhook as the Events routes answer it: {@code authorization} decrypted, the {@code secret} extension never. */
  @RegisterForReflection
  @Schema(name = "WebhookView", requiredProperties = {"label", "enabled"})
  public record WebhookView(String label, boolean enabled, @Schema(nullable = true) String url,
      @Schema(nullable = true, description = "Decrypted") String authorization,
      boolean byEvents, List<String> events, boolean mediaBase64) {
  }

  /** The {@code default} webhook as the create route answers it, without its authorization. */
  @RegisterForReflection
  public record CreatedWebhook(String label, boolean enabled, String url, boolean byEvents, List<String> events, boolean mediaBase64) {
  }

  @RegisterForReflection
  public record WebhookFlag(String label, boolean enabled) {
  }

  @RegisterForReflection
  public record S3Flag(boolean enabled) {
  }

  @RegisterForReflection
  @Schema(requiredProperties = "state")
  public record Connection(@Schema(enumeration = {"disconnected", "connecting", "connected", "loggedout"}) String state, @Schema(nullable = true) String numberJid,
      @Schema(enumeration = {"available", "unavailable"}) String presenceStatus, String displayStatus, @Schema(nullable = true) String lastError,
      @Schema(nullable = true, format = "date-time") String since) {
  }

  @RegisterForReflection
  public record Profile(@Schema(nullable = true) String name, String pictureUrl, boolean isBusiness, String businessName) {
  }

  /** One item of GET /api/instance/list. */
  @RegisterForReflection
  @Schema(name = "InstanceView", requiredProperties = {"name", "token", "createdAt", "connection"})
  public record ListItem(String name, String token, @Schema(format = "date-time") String createdAt, Connection connection, Profile profile,
      @Schema(implementation = WebhookView.class) WebhookFlag webhook, WebsocketView websocket, ProxyView proxy, SettingsView settings,
      @Schema(implementation = S3Stored.class) S3Flag s3) {
  }

  @RegisterForReflection
  @Schema(name = "AccountView", requiredProperties = {"id", "name", "instanceQuota", "rateLimitPerMinute"})
  public record AccountView(@Schema(format = "uuid") String id, String name, int instanceQuota, int rateLimitPerMinute) {
  }

  /** A new account as its creation answers it: the only time its token is shown. */
  @RegisterForReflection
  @Schema(requiredProperties = {"id", "name", "instanceQuota", "rateLimitPerMinute", "token"})
  public record CreatedAccount(@Schema(format = "uuid") String id, String name, int instanceQuota, int rateLimitPerMinute, String token) {
  }
}
